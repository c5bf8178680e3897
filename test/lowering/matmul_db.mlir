// RUN: ck-opt %s -p 'lower-kernel-to-simd{isa="avx512"}' | filecheck %s
// RUN: ck-opt %s -p 'lower-kernel-to-simd{isa="scalar"}' | filecheck %s --check-prefix=SCALAR
// The bias gradient db[n] = sum_t dy[t, n]: each thread owns whole vectors of db (its
// rows, `w part:rows:<vectors>x<lanes>`), keeps up to 4 of them in registers while it
// walks every token, and stores them once; the vectors left over go one at a time. A
// width that is not a multiple of the lanes takes the general (1-lane) kernel.

func.func @train(%dy: memref<?x80xf32>, %db: memref<80xf32>, %dy2: memref<6x20xf32>, %db2: memref<20xf32>, %tid: index, %nth: index) {
  kernel.matmul_db ins(%dy : memref<?x80xf32>) outs(%db : memref<80xf32>)
  kernel.matmul_db ins(%dy2 : memref<6x20xf32>) outs(%db2 : memref<20xf32>)
  func.return
}

// CHECK:       ck.kernels = "[{\22function\22: \22matmul_db_80_tn_avx512\22, \22kernel\22: \22kernel.matmul_db\22, \22variant\22: \2216 lanes, register tile 4 vectors, split by row of db\22}, {\22function\22: \22matmul_db_20_t6_avx512\22, {{.*}}\22variant\22: \221 lanes (general: N=20 not a multiple of 16), register tile 4 vectors, split by row of db\22}]"
// CHECK-LABEL: func.func private @matmul_db_80_tn_avx512(%dy: memref<?x80xf32> {ck.access = "r all"}, %db: memref<80xf32> {ck.access = "w part:rows:5x16"}, %tid: index, %nth: index)
// CHECK:         %[[T:.*]] = memref.dim %dy
// CHECK:         scf.for %v = %lo to %{{.*}} step %{{.*}} {
// CHECK:           %[[Z:.*]] = simd.broadcast %{{.*}} : f32 -> vector<16xf32>
// CHECK:           %[[A:.*]], %[[B:.*]], %[[C:.*]], %[[D:.*]] = scf.for %t = %{{.*}} to %[[T]] step %{{.*}} iter_args(%{{.*}} = %[[Z]], %{{.*}} = %[[Z]], %{{.*}} = %[[Z]], %{{.*}} = %[[Z]]) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT:        simd.load %dy[%t, %{{.*}}] : memref<?x80xf32> -> vector<16xf32>
// CHECK-NEXT:        simd.add
// CHECK:             scf.yield
// CHECK:           simd.store %[[A]], %db[%{{.*}}] : vector<16xf32>, memref<80xf32>
// CHECK:           simd.store %[[D]], %db[%{{.*}}] : vector<16xf32>, memref<80xf32>
// CHECK:         scf.for %v_1 = %{{.*}} to %hi step %{{.*}} {
// CHECK:           scf.for %t_1 = {{.*}} -> (vector<16xf32>) {
// CHECK-LABEL: func.func private @matmul_db_20_t6_avx512(%dy: memref<6x20xf32> {ck.access = "r all"}, %db: memref<20xf32> {ck.access = "w part:rows:20x1"}
// CHECK:         simd.load %dy[%t, %{{.*}}] : memref<6x20xf32> -> vector<1xf32>
// CHECK-LABEL: func.func @train(
// CHECK-NEXT:    func.call @matmul_db_80_tn_avx512(%dy, %db, %tid, %nth) {ck.comment = "db: matmul_db 80", ck.kernel = "kernel.matmul_db"}
// CHECK-NEXT:    func.call @ck_barrier()

// SCALAR:      \22function\22: \22matmul_db_80_tn_scalar\22, \22kernel\22: \22kernel.matmul_db\22, \22variant\22: \221 lanes, register tile 4 vectors, split by row of db\22}
// SCALAR-LABEL: func.func private @matmul_db_80_tn_scalar(%dy: memref<?x80xf32> {ck.access = "r all"}, %db: memref<80xf32> {ck.access = "w part:rows:80x1"}
