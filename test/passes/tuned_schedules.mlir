// RUN: ck-opt %s -p 'tuned-schedules{table="%S/Inputs/tuning.json" isa="avx512"}' | filecheck %s
// RUN: ck-opt %s -p 'tuned-schedules{table="%S/Inputs/tuning.json" isa="avx512"},choose-schedules{isa="avx512"}' | filecheck %s --check-prefix=CHOSEN
// RUN: ck-opt %s -p 'tuned-schedules{table="%S/Inputs/tuning.json" isa="avx512"},choose-schedules{isa="avx512"},lower-kernel-to-simd{isa="avx512"}' | filecheck %s --check-prefix=SIMD
// RUN: not ck-opt %s -p 'tuned-schedules{table="%S/Inputs/tuning.json" isa="avx2"}' 2>&1 | filecheck %s --check-prefix=OTHER-ISA
// RUN: not ck-opt %s -p 'tuned-schedules{table="%S/Inputs/tuning_not_a_candidate.json" isa="avx512"}' 2>&1 | filecheck %s --check-prefix=NOT-A-CANDIDATE
// RUN: not ck-opt %s -p 'tuned-schedules{table="%S/Inputs/tuning_broken.json" isa="avx512"}' 2>&1 | filecheck %s --check-prefix=BROKEN
// RUN: not ck-opt %s -p 'tuned-schedules{table="%S/Inputs/no_such_table.json" isa="avx512"}' 2>&1 | filecheck %s --check-prefix=MISSING
// RUN: not ck-opt %s -p 'tuned-schedules' 2>&1 | filecheck %s --check-prefix=NO-TABLE

// tuned-schedules: a matmul whose shape the table holds gets the table's schedule; the
// others keep none, for choose-schedules to give them the cost model's; a schedule already
// there is kept. Shapes are keyed as `ck bench --tune` timed them: the token count of a
// prefill matmul (dynamic) is the module's ck.max_tokens.
builtin.module attributes {ck.max_tokens = 64 : i64} {
func.func @prefill(%xq: memref<?x64xi8>, %xs: memref<?x2xf32>, %xm: memref<?x2xi32>, %x: memref<?x64xf32>, %y: memref<?x64xf32>, %y2: memref<?x64xf32>, %y3: memref<?x128xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  %wr = memory.weight %weights "blk.0.attn_k.weight" {offset = 4352 : i64, size = 4352 : i64} : !transformer.weight<64x64, q8_0>
  %w2 = memory.weight %weights "blk.0.ffn_up.weight" {offset = 8704 : i64, size = 8704 : i64, layout = "rp16"} : !transformer.weight<128x64, q8_0>
  kernel.gemm ins(%xq, %xs, %xm : memref<?x64xi8>, memref<?x2xf32>, memref<?x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) outs(%y : memref<?x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
  kernel.gemm ins(%x : memref<?x64xf32>) weights(%wr : !transformer.weight<64x64, q8_0>) outs(%y2 : memref<?x64xf32>) {w_dtype = "q8_0", act_dtype = "f32", split = "rows"}
  kernel.gemm ins(%xq, %xs, %xm : memref<?x64xi8>, memref<?x2xf32>, memref<?x2xi32>) weights(%w2 : !transformer.weight<128x64, q8_0>) outs(%y3 : memref<?x128xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
  func.return
}

func.func @decode(%xq: memref<1x64xi8>, %xs: memref<1x2xf32>, %xm: memref<1x2xi32>, %y: memref<1x64xf32>, %y2: memref<1x64xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) outs(%y : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) outs(%y2 : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows", schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 1>}
  func.return
}
}

// CHECK-LABEL: func.func @prefill
// CHECK:         kernel.gemm {{.*}} outs(%y : {{.*}}) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows", schedule = #kernel.schedule<rows = 16, tokens = 8, streams = 1>}
// CHECK-NEXT:    kernel.gemm {{.*}} outs(%y2 : {{.*}}) {w_dtype = "q8_0", act_dtype = "f32", split = "rows", schedule = #kernel.schedule<rows = 16, tokens = 12, streams = 1>}
// CHECK-NEXT:    kernel.gemm {{.*}} outs(%y3 : {{.*}}) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
// CHECK-LABEL: func.func @decode
// CHECK:         kernel.gemv {{.*}} outs(%y : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 32, tokens = 1, streams = 2>}
// CHECK-NEXT:    kernel.gemv {{.*}} outs(%y2 : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 16, tokens = 1, streams = 1>}

// The shape the table does not hold gets the cost model's schedule from choose-schedules.
// CHOSEN:        kernel.gemm {{.*}} outs(%y : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 16, tokens = 8, streams = 1>}
// CHOSEN:        kernel.gemm {{.*}} outs(%y3 : {{.*}}) {{{.*}}schedule = #kernel.schedule<rows = 32, tokens = 6, streams = 1>}

// The micro-kernels the schedules describe (ck.kernels, in the order of the ops): the tuned
// tiles, the cost model's tile, the tuned lock-step walk of two 32-row units, the kept one.
// SIMD: ck.kernels = {{.*}}register tile 16 rows x 8 tokens,
// SIMD-SAME: register tile 16 rows x 12 tokens of outer products
// SIMD-SAME: register tile 32 rows x 6 tokens,
// SIMD-SAME: 2 row groups in lock-step
// SIMD-SAME: 1 row groups in lock-step

// OTHER-ISA: tuned-schedules: the table {{.*}}tuning.json was tuned for isa 'avx512', not 'avx2'
// NOT-A-CANDIDATE: tuned-schedules: the table {{.*}}tuning_not_a_candidate.json gives 'gemm q8_0/rp16 64x64 t64 q8_0-in avx512' the schedule 16x12, which is not one of its candidates (32x6, 16x8, 32x5, {{.*}}): run `ck bench --tune` again
// BROKEN: tuned-schedules: the tuning table {{.*}}tuning_broken.json is not one this ck reads ({{.*}}): delete it or run `ck bench --tune` again
// MISSING: tuned-schedules: cannot read the tuning table {{.*}}no_such_table.json: No such file or directory
// NO-TABLE: tuned-schedules: no table given (table=PATH, a file `ck bench --tune` wrote)
