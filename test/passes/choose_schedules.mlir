// RUN: ck-opt %s -p 'choose-schedules{isa="avx512"}' | filecheck %s
// RUN: ck-opt %s -p 'choose-schedules{isa="avx2"}' | filecheck %s --check-prefix=AVX2
// RUN: ck-opt %s -p 'choose-schedules{isa="avx512"},lower-kernel-to-simd{isa="avx512"}' | filecheck %s --check-prefix=TILE
// RUN: ck-opt %s -p 'choose-schedules{isa="avx512" dot="bf16"}' | filecheck %s --check-prefix=BF16
// RUN: not ck-opt %s -p 'choose-schedules{isa="avx2" dot="bf16"}' 2>&1 | filecheck %s --check-prefix=BF16-AVX2

// choose-schedules: each matmul gets the loop-nest schedule of the registry's cost model,
// chosen from its weights' layout, its input and the ISA's registers. An int8 prefill over
// rp16 weights keeps a register tile of rows x tokens (avx512: 2 row groups x 6 tokens =
// 12 i32 + 12 f32 accumulators; gate|up with its epilogue streams two weights per row,
// so 1 group x 6 tokens; avx2's 16 registers fit 1 group x 2 tokens); a rows-layout prefill
// matmul (f32 activations) packs a transposed weight panel and keeps rows x tokens of f32
// outer products (avx512: 2 vectors x 12 tokens); a gemv streams 16-row groups in lock-step.
// A schedule already there is kept.
func.func @prefill(%xq: memref<?x64xi8>, %xs: memref<?x2xf32>, %xm: memref<?x2xi32>, %x: memref<?x64xf32>, %y: memref<?x64xf32>, %y2: memref<?x64xf32>, %y3: memref<1x64xf32>, %g: memref<?x64xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  %wr = memory.weight %weights "blk.0.attn_k.weight" {offset = 4352 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  %wg = memory.weight %weights "blk.0.ffn_gate.weight" {offset = 8704 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  %wu = memory.weight %weights "blk.0.ffn_up.weight" {offset = 13056 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  kernel.gemm ins(%xq, %xs, %xm : memref<?x64xi8>, memref<?x2xf32>, memref<?x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) outs(%y : memref<?x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
  kernel.gemm ins(%x : memref<?x64xf32>) weights(%wr : !transformer.weight<64x64, q8_0>) outs(%y2 : memref<?x64xf32>) {w_dtype = "q8_0", act_dtype = "f32", split = "rows"}
  kernel.gemm ins(%xq, %xs, %xm : memref<?x64xi8>, memref<?x2xf32>, memref<?x2xi32>) weights(%wg, %wu : !transformer.weight<64x64, q8_0>, !transformer.weight<64x64, q8_0>) outs(%g : memref<?x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", epilogue = "silu_mul", split = "rows"}
  func.return
}

func.func @decode(%xq: memref<1x64xi8>, %xs: memref<1x2xf32>, %xm: memref<1x2xi32>, %y: memref<1x64xf32>, %y2: memref<1x64xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) outs(%y : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) outs(%y2 : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows", schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 2>}
  func.return
}

// CHECK-LABEL: func.func @prefill
// CHECK:         kernel.gemm {{.*}} outs(%y : {{.*}}) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows", schedule = #kernel.schedule<rows = 32, tokens = 6, streams = 1>}
// CHECK-NEXT:    kernel.gemm {{.*}} outs(%y2 : {{.*}}) {w_dtype = "q8_0", act_dtype = "f32", split = "rows", schedule = #kernel.schedule<rows = 32, tokens = 12, streams = 1>}
// CHECK-NEXT:    kernel.gemm {{.*}} outs(%g : {{.*}}) {{{.*}}epilogue = "silu_mul", split = "rows", schedule = #kernel.schedule<rows = 16, tokens = 6, streams = 1>}
// CHECK-LABEL: func.func @decode
// CHECK:         kernel.gemv {{.*}} outs(%y : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 4>}
// CHECK-NEXT:    kernel.gemv {{.*}} outs(%y2 : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 2>}

// The lm head of prefill (last_rows) mostly computes the prompt's last row only: one 16-row
// group per tile, which streams the weights faster than two.
func.func @lm_head(%xq: memref<?x64xi8>, %xs: memref<?x2xf32>, %xm: memref<?x2xi32>, %l: memref<?x64xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %e = memory.weight %weights "token_embd.weight" {offset = 0 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  kernel.gemm ins(%xq, %xs, %xm : memref<?x64xi8>, memref<?x2xf32>, memref<?x2xi32>) weights(%e : !transformer.weight<64x64, q8_0>) outs(%l : memref<?x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", last_rows, split = "rows"}
  func.return
}
// CHECK-LABEL: func.func @lm_head
// CHECK:         kernel.gemm {{.*}} {w_dtype = "q8_0", act_dtype = "q8_0", last_rows, split = "rows", schedule = #kernel.schedule<rows = 16, tokens = 8, streams = 1>}

// AVX2-LABEL: func.func @prefill
// AVX2:         kernel.gemm {{.*}} outs(%y : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 16, tokens = 2, streams = 1>}
// AVX2-NEXT:    kernel.gemm {{.*}} outs(%y2 : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 8, tokens = 10, streams = 1>}
// AVX2:         kernel.gemm {{.*}} outs(%g : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 1>}
// AVX2-LABEL: func.func @decode
// AVX2:         kernel.gemv {{.*}} outs(%y : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 2>}

// The int8 prefill micro-kernel the 32 x 6 schedule describes: per unit of 2 row groups, a
// loop over whole tiles of 6 tokens (then the remaining tokens one by one); per 4-byte
// k-step, 2 weight loads (one per group), 6 broadcast activations and 12 dot products.
// TILE:        \22variant\22: \22rp16, int8 dot products (16 rows per register), register tile 32 rows x 6 tokens, split by rows\22
// TILE-LABEL:  func.func private @gemm_q8_0_64x64_q8in_tn_avx512(
// TILE:          scf.for %u =
// TILE:            scf.for %t = {{.*}} step %{{.*}} {
// TILE:              scf.for %b = {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// TILE:                scf.for %s =
// TILE-COUNT-6:          simd.broadcast {{.*}} : vector<4xi8> -> vector<64xi8>
// TILE:                  simd.load %w_quants
// TILE-COUNT-6:          simd.dot_i8
// TILE:                  simd.load %w_quants
// TILE-COUNT-6:          simd.dot_i8
// TILE-NEXT:             scf.yield

// The gradient matmuls of training get f32 outer-product tiles too: matmul_dx vectorizes
// dx's columns and broadcasts dy over a tile of tokens; matmul_dw vectorizes dw's columns
// and broadcasts dy over a tile of dw's rows.
func.func @gradients(%dy: memref<64x32xf32>, %w: memref<32x128xf32>, %dx: memref<64x128xf32>, %x: memref<64x128xf32>, %dw: memref<32x128xf32>, %tid: index, %nth: index) {
  kernel.matmul_dx ins(%dy, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%dx : memref<64x128xf32>)
  kernel.matmul_dw ins(%dy, %x : memref<64x32xf32>, memref<64x128xf32>) outs(%dw : memref<32x128xf32>)
  func.return
}
// CHECK-LABEL: func.func @gradients
// CHECK-NEXT:    kernel.matmul_dx {{.*}} {schedule = #kernel.schedule<rows = 32, tokens = 12, streams = 1>}
// CHECK-NEXT:    kernel.matmul_dw {{.*}} {schedule = #kernel.schedule<rows = 32, tokens = 12, streams = 1>}

// With dot=bf16 (bf16 training) the f32 matmuls multiply bf16 pairs along the dimension
// they reduce, where it is even (and, for matmul_dw, static): K of the gemm, w's rows for
// matmul_dx, the tokens for matmul_dw. The int8 ones are untouched.
// BF16-LABEL: func.func @prefill
// BF16:         kernel.gemm {{.*}} {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows", schedule = #kernel.schedule<rows = 32, tokens = 6, streams = 1>}
// BF16-NEXT:    kernel.gemm {{.*}} act_dtype = "f32"{{.*}}schedule = #kernel.schedule<rows = {{[0-9]+}}, tokens = {{[0-9]+}}, streams = 1, dot = bf16>}
// BF16-LABEL: func.func @gradients
// BF16-NEXT:    kernel.matmul_dx {{.*}} {schedule = #kernel.schedule<rows = 32, tokens = 12, streams = 1, dot = bf16>}
// BF16-NEXT:    kernel.matmul_dw {{.*}} {schedule = #kernel.schedule<rows = 32, tokens = 12, streams = 1, dot = bf16>}
// BF16-LABEL: func.func @odd_gradients
// BF16-NEXT:    kernel.matmul_dx {{.*}} {schedule = #kernel.schedule<rows = 32, tokens = 12, streams = 1>}
// BF16-NEXT:    kernel.matmul_dw {{.*}} {schedule = #kernel.schedule<rows = 32, tokens = 12, streams = 1>}
// BF16-AVX2: choose-schedules: dot=bf16 needs isa avx512 (vdpbf16ps), got 'avx2'
func.func @odd_gradients(%dy: memref<63x31xf32>, %w: memref<31x128xf32>, %dx: memref<63x128xf32>, %x: memref<63x128xf32>, %dw: memref<31x128xf32>, %tid: index, %nth: index) {
  kernel.matmul_dx ins(%dy, %w : memref<63x31xf32>, memref<31x128xf32>) outs(%dx : memref<63x128xf32>)
  kernel.matmul_dw ins(%dy, %x : memref<63x31xf32>, memref<63x128xf32>) outs(%dw : memref<31x128xf32>)
  func.return
}
