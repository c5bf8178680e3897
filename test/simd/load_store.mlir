// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// One index per memref dimension; the vector runs along the last one.
func.func @copy_row(%src: memref<?x1024xf32>, %dst: memref<1024xf32>, %t: index, %k: index) attributes {simd.isa = #simd.isa<avx512>} {
  %v = simd.load %src[%t, %k] : memref<?x1024xf32> -> vector<16xf32>
  simd.store %v, %dst[%k] : vector<16xf32>, memref<1024xf32>
  func.return
}

// CHECK-LABEL: func.func @copy_row
// CHECK-NEXT:    %[[V:.*]] = simd.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<?x1024xf32> -> vector<16xf32>
// CHECK-NEXT:    simd.store %[[V]], %{{.*}}[%{{.*}}] : vector<16xf32>, memref<1024xf32>
// CHECK-NEXT:    func.return

// Every element type a kernel reads or writes: f16 KV cache, bf16, int8
// quants, int32 compensation terms.
func.func @element_types(%h: memref<?xf16>, %b: memref<?xbf16>, %q: memref<?xi8>, %c: memref<?xi32>, %i: index) attributes {simd.isa = #simd.isa<avx512>} {
  %vh = simd.load %h[%i] : memref<?xf16> -> vector<16xf16>
  %vb = simd.load %b[%i] : memref<?xbf16> -> vector<32xbf16>
  %vq = simd.load %q[%i] : memref<?xi8> -> vector<64xi8>
  %vc = simd.load %c[%i] : memref<?xi32> -> vector<16xi32>
  simd.store %vh, %h[%i] : vector<16xf16>, memref<?xf16>
  simd.store %vb, %b[%i] : vector<32xbf16>, memref<?xbf16>
  simd.store %vq, %q[%i] : vector<64xi8>, memref<?xi8>
  simd.store %vc, %c[%i] : vector<16xi32>, memref<?xi32>
  func.return
}

// CHECK-LABEL: func.func @element_types
// CHECK-NEXT:    simd.load %{{.*}}[%{{.*}}] : memref<?xf16> -> vector<16xf16>
// CHECK-NEXT:    simd.load %{{.*}}[%{{.*}}] : memref<?xbf16> -> vector<32xbf16>
// CHECK-NEXT:    simd.load %{{.*}}[%{{.*}}] : memref<?xi8> -> vector<64xi8>
// CHECK-NEXT:    simd.load %{{.*}}[%{{.*}}] : memref<?xi32> -> vector<16xi32>
// CHECK-NEXT:    simd.store %{{.*}}, %{{.*}}[%{{.*}}] : vector<16xf16>, memref<?xf16>
// CHECK-NEXT:    simd.store %{{.*}}, %{{.*}}[%{{.*}}] : vector<32xbf16>, memref<?xbf16>
// CHECK-NEXT:    simd.store %{{.*}}, %{{.*}}[%{{.*}}] : vector<64xi8>, memref<?xi8>
// CHECK-NEXT:    simd.store %{{.*}}, %{{.*}}[%{{.*}}] : vector<16xi32>, memref<?xi32>

// A 3-D buffer (K panels [pos/16][128][16]) and a vector filling the whole last dim.
func.func @k_panel(%k: memref<?x128x16xf16>, %p: index, %d: index) -> vector<16xf16> {
  %v = simd.load %k[%p, %d, %p] : memref<?x128x16xf16> -> vector<16xf16>
  func.return %v : vector<16xf16>
}

// CHECK-LABEL: func.func @k_panel
// CHECK-NEXT:    simd.load %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] : memref<?x128x16xf16> -> vector<16xf16>

// Extra attributes are kept.
func.func @with_attr(%x: memref<64xf32>, %i: index) -> vector<16xf32> {
  %v = simd.load %x[%i] {note = "aligned"} : memref<64xf32> -> vector<16xf32>
  func.return %v : vector<16xf32>
}

// CHECK-LABEL: func.func @with_attr
// CHECK-NEXT:    simd.load %{{.*}}[%{{.*}}] {note = "aligned"} : memref<64xf32> -> vector<16xf32>
