// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @pairs(%acc: vector<16xf32>, %a: vector<16xbf16>) {
  %r = simd.dot_bf16 %acc, %a, %a : vector<16xf32>, vector<16xbf16>, vector<16xbf16>
  func.return
}
// CHECK: a vector<16xbf16> has 16 lanes, expected 2 x 16 = 32 (a bf16 pair per f32 lane of acc vector<16xf32>)

// -----

func.func @f16(%acc: vector<16xf32>, %a: vector<32xf16>) {
  %r = simd.dot_bf16 %acc, %a, %a : vector<16xf32>, vector<32xf16>, vector<32xf16>
  func.return
}
// CHECK: a has element type f16; simd.dot_bf16 supports bf16

// -----

func.func @avx2(%acc: vector<16xf32>, %a: vector<32xbf16>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.dot_bf16 %acc, %a, %a : vector<16xf32>, vector<32xbf16>, vector<32xbf16>
  func.return
}
// CHECK: simd.dot_bf16 needs avx512 (vdpbf16ps), the enclosing ISA is #simd.isa<avx2>

// -----

func.func @narrow(%acc: vector<8xf32>, %a: vector<16xbf16>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.dot_bf16 %acc, %a, %a : vector<8xf32>, vector<16xbf16>, vector<16xbf16>
  func.return
}
// CHECK: acc vector<8xf32> must have 16 lanes (one zmm register)

// -----

func.func @pack_types(%e: vector<16xf32>, %o: vector<16xi32>) {
  %r = simd.pack_bf16 %e, %o : vector<16xf32>, vector<16xi32> -> vector<32xbf16>
  func.return
}
// CHECK: odd has type vector<16xi32>, expected vector<16xf32> (the type of even)

// -----

func.func @pack_result(%e: vector<16xf32>) {
  %r = simd.pack_bf16 %e, %e : vector<16xf32>, vector<16xf32> -> vector<16xbf16>
  func.return
}
// CHECK: result vector<16xbf16> has 16 lanes, expected 2 x 16 = 32
