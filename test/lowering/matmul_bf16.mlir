// RUN: ck-opt %s -p 'lower-kernel-to-simd{isa="avx512"}' | filecheck %s
// A `dot = bf16` schedule: the gradient matmuls multiply bf16 pairs along the dimension they
// reduce. matmul_dx packs w as pairs of its rows once per thread (simd.pack_bf16 of rows 2p,
// 2p+1) and rounds each token tile's dy rows to bf16 on the stack; its register tile (32
// columns x 6 tokens) takes one broadcast dy pair and two 16-pair vectors of w per step, 12
// simd.dot_bf16 per pair of w rows. matmul_dw packs x and dy as pairs of tokens and
// broadcasts dy's pair of each row of the tile.

func.func @train(%dy: memref<12x32xf32>, %w: memref<32x64xf32>, %dx: memref<12x64xf32>, %x: memref<12x64xf32>, %dw: memref<32x64xf32>, %tid: index, %nth: index) {
  kernel.matmul_dx ins(%dy, %w : memref<12x32xf32>, memref<32x64xf32>) outs(%dx : memref<12x64xf32>) {schedule = #kernel.schedule<rows = 32, tokens = 6, streams = 1, dot = bf16>}
  kernel.matmul_dw ins(%dy, %x : memref<12x32xf32>, memref<12x64xf32>) outs(%dw : memref<32x64xf32>) {schedule = #kernel.schedule<rows = 32, tokens = 4, streams = 1, dot = bf16>}
  func.return
}

// CHECK:       ck.kernels = "[{\22function\22: \22matmul_dx_64_t12_avx512\22, {{.*}}\22variant\22: \22bf16 pair products (w and dy rounded to bf16), register tile 32 columns x 6 tokens, split by token\22}, {\22function\22: \22matmul_dw_64_t32_avx512\22, {{.*}}\22variant\22: \22bf16 pair products (dy and x rounded to bf16), register tile 32 columns x 4 rows, dw = dy^T x, split by row of dw\22}]"
// CHECK-LABEL: func.func private @matmul_dx_64_t12_avx512(
// CHECK:         %w_pairs = memref.alloca() {alignment = 64 : i64} : memref<16x128xbf16>
// CHECK-NEXT:    %dy_bf16 = memref.alloca() {alignment = 64 : i64} : memref<6x32xbf16>
// CHECK:         scf.for %p = {{.*}} {
// CHECK:           simd.pack_bf16 %{{.*}}, %{{.*}} : vector<16xf32>, vector<16xf32> -> vector<32xbf16>
// CHECK:         scf.for %t = %lo
// CHECK-COUNT-6:   simd.convert %{{.*}} : vector<16xf32> -> vector<16xbf16>
// CHECK:           scf.for %k =
// CHECK:             scf.for %p_1 = {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-COUNT-2:       simd.load %w_pairs[%p_1, %{{.*}}] : memref<16x128xbf16> -> vector<32xbf16>
// CHECK:               simd.load %dy_bf16[%{{.*}}, %{{.*}}] : memref<6x32xbf16> -> vector<2xbf16>
// CHECK-NEXT:          simd.broadcast %{{.*}} : vector<2xbf16> -> vector<32xbf16>
// CHECK-NEXT:          simd.dot_bf16
// CHECK-NEXT:          simd.dot_bf16
// CHECK-COUNT-10:      simd.dot_bf16
// CHECK:               scf.yield
// CHECK-LABEL: func.func private @matmul_dw_64_t32_avx512(
// CHECK:         %x_pairs = memref.alloca() {alignment = 64 : i64} : memref<6x128xbf16>
// CHECK-NEXT:    %dy_pairs = memref.alloca() {alignment = 64 : i64} : memref<6x64xbf16>
// CHECK:         simd.pack_bf16
// CHECK:         simd.pack_bf16
// CHECK:         scf.for %p_2 = {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-COUNT-2:   simd.load %x_pairs[%p_2, %{{.*}}] : memref<6x128xbf16> -> vector<32xbf16>
// CHECK:           simd.load %dy_pairs[%p_2, %{{.*}}] : memref<6x64xbf16> -> vector<2xbf16>
// CHECK-NEXT:      simd.broadcast %{{.*}} : vector<2xbf16> -> vector<32xbf16>
// CHECK-NEXT:      simd.dot_bf16
// CHECK-NEXT:      simd.dot_bf16
