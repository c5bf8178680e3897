// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @too_few_indices(%m: memref<?x64xf32>, %i: index) -> vector<16xf32> {
  %v = simd.load %m[%i] : memref<?x64xf32> -> vector<16xf32>
  func.return %v : vector<16xf32>
}
// CHECK: base memref<?x64xf32> has rank 2 but 1 index was given (one per dimension)

// -----

func.func @too_many_indices(%v: vector<16xf32>, %m: memref<?xf32>, %i: index) {
  simd.store %v, %m[%i, %i] : vector<16xf32>, memref<?xf32>
  func.return
}
// CHECK: base memref<?xf32> has rank 1 but 2 indices were given (one per dimension)

// -----

func.func @rank0(%m: memref<f32>) -> vector<1xf32> {
  %v = simd.load %m[] : memref<f32> -> vector<1xf32>
  func.return %v : vector<1xf32>
}
// CHECK: base memref<f32> has rank 0; a vector runs along a last dimension

// -----

func.func @load_element_mismatch(%m: memref<?xf16>, %i: index) -> vector<16xf32> {
  %v = simd.load %m[%i] : memref<?xf16> -> vector<16xf32>
  func.return %v : vector<16xf32>
}
// CHECK: result element type f32 does not match the element type f16 of base memref<?xf16>

// -----

func.func @store_element_mismatch(%v: vector<64xi8>, %m: memref<?xi32>, %i: index) {
  simd.store %v, %m[%i] : vector<64xi8>, memref<?xi32>
  func.return
}
// CHECK: value element type i8 does not match the element type i32 of base memref<?xi32>

// -----

func.func @wider_than_row(%m: memref<4x8xf32>, %i: index) -> vector<16xf32> {
  %v = simd.load %m[%i, %i] : memref<4x8xf32> -> vector<16xf32>
  func.return %v : vector<16xf32>
}
// CHECK: result vector<16xf32> has 16 lanes but the last dimension of base memref<4x8xf32> has only 8 elements

// -----

func.func @store_wider_than_row(%v: vector<16xf32>, %m: memref<8xf32>, %i: index) {
  simd.store %v, %m[%i] : vector<16xf32>, memref<8xf32>
  func.return
}
// CHECK: value vector<16xf32> has 16 lanes but the last dimension of base memref<8xf32> has only 8 elements

// -----

func.func @two_d_vector(%m: memref<?xf32>, %i: index) -> vector<4x4xf32> {
  %v = simd.load %m[%i] : memref<?xf32> -> vector<4x4xf32>
  func.return %v : vector<4x4xf32>
}
// CHECK: result must be a 1-D fixed-width vector, got vector<4x4xf32>

// -----

func.func @scalable_vector(%v: vector<[4]xf32>, %m: memref<?xf32>, %i: index) {
  simd.store %v, %m[%i] : vector<[4]xf32>, memref<?xf32>
  func.return
}
// CHECK: value must be a 1-D fixed-width vector, got vector<[4]xf32>

// -----

func.func @f64_load(%m: memref<?xf64>, %i: index) -> vector<8xf64> {
  %v = simd.load %m[%i] : memref<?xf64> -> vector<8xf64>
  func.return %v : vector<8xf64>
}
// CHECK: result has element type f64; simd.load supports f32, f16, bf16, i32, i8

// -----

func.func @too_wide_for_avx2(%m: memref<?xf32>, %i: index) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx2>} {
  %v = simd.load %m[%i] : memref<?xf32> -> vector<16xf32>
  func.return %v : vector<16xf32>
}
// CHECK: result vector<16xf32> has 16 lanes, more than the 8 f32 lanes of #simd.isa<avx2> (simd.isa of the enclosing func.func @too_wide_for_avx2)

// -----

func.func @store_too_wide_for_avx512(%v: vector<128xi8>, %m: memref<?xi8>, %i: index) attributes {simd.isa = #simd.isa<avx512>} {
  simd.store %v, %m[%i] : vector<128xi8>, memref<?xi8>
  func.return
}
// CHECK: value vector<128xi8> has 128 lanes, more than the 64 i8 lanes of #simd.isa<avx512> (simd.isa of the enclosing func.func @store_too_wide_for_avx512)
