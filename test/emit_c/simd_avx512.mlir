// Each simd op on #simd.isa<avx512>: AVX-512 F/BW/VL/VNNI intrinsics on zmm,
// narrower vectors on ymm/xmm. The output also compiles warning-free.
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-opt %s -t c | filecheck %s
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null

// CHECK:      #include <immintrin.h>

// CHECK-LABEL: static inline __m512 ck_exp_f32x16(__m512 x) {
// CHECK:         _mm512_roundscale_ps(
// CHECK:         return _mm512_scalef_ps(e, n);
// CHECK-LABEL: static inline float ck_reduce_add_f32x16(__m512 v) {
// CHECK-NEXT:    __m256 h8 = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
// CHECK-NEXT:    __m128 h4 = _mm_add_ps(_mm256_castps256_ps128(h8), _mm256_extractf128_ps(h8, 1));
// CHECK-NEXT:    __m128 h2 = _mm_add_ps(h4, _mm_movehl_ps(h4, h4));
// CHECK-NEXT:    __m128 h1 = _mm_add_ss(h2, _mm_movehdup_ps(h2));
// CHECK-NEXT:    return _mm_cvtss_f32(h1);
// CHECK-LABEL: static inline float ck_reduce_max_f32x16(__m512 v) {
// CHECK:         _mm_max_ss(
// CHECK-LABEL: static inline __m512 ck_cvt_bf16_f32x16(__m256i h) {
// CHECK-NEXT:    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
// CHECK-LABEL: static inline __m256i ck_cvt_f32_bf16x16(__m512 x) {
// CHECK:         _mm512_mask_or_epi32(
// CHECK:         return _mm512_cvtepi32_epi16(r);
// CHECK-LABEL: static inline __m128i ck_cvt_f32_i8x16(__m512 x) {
// CHECK:         return _mm512_cvtsepi32_epi8(i);

func.func @elementwise(%p: memref<?xf32>, %ip: memref<?xi32>, %i: index, %s: f32, %k: i32) attributes {simd.isa = #simd.isa<avx512>} {
  %x = simd.load %p[%i] : memref<?xf32> -> vector<16xf32>
  %y = simd.broadcast %s : f32 -> vector<16xf32>
  %a = simd.add %x, %y : vector<16xf32>
  %b = simd.sub %a, %y : vector<16xf32>
  %c = simd.mul %b, %x : vector<16xf32>
  %d = simd.max %c, %x : vector<16xf32>
  %e = simd.fma %d, %x, %y : vector<16xf32>
  %f = simd.exp %e : vector<16xf32>
  %g = simd.div %f, %y : vector<16xf32>
  simd.store %g, %p[%i] : vector<16xf32>, memref<?xf32>
  %iv = simd.load %ip[%i] : memref<?xi32> -> vector<16xi32>
  %ib = simd.broadcast %k : i32 -> vector<16xi32>
  %ia = simd.add %iv, %ib : vector<16xi32>
  %is = simd.sub %ia, %ib : vector<16xi32>
  %im = simd.mul %is, %iv : vector<16xi32>
  %ix = simd.max %im, %iv : vector<16xi32>
  simd.store %ix, %ip[%i] : vector<16xi32>, memref<?xi32>
  func.return
}
// CHECK-LABEL: void elementwise(float *p, int64_t p_d0, int32_t *ip, int64_t ip_d0, int64_t i, float s, int32_t k) {
// CHECK:         __m512 x = _mm512_loadu_ps(&p[i]);
// CHECK-NEXT:    __m512 y = _mm512_set1_ps(s);
// CHECK-NEXT:    __m512 a = _mm512_add_ps(x, y);
// CHECK-NEXT:    __m512 b = _mm512_sub_ps(a, y);
// CHECK-NEXT:    __m512 c = _mm512_mul_ps(b, x);
// CHECK-NEXT:    __m512 d = _mm512_max_ps(c, x);
// CHECK-NEXT:    __m512 e = _mm512_fmadd_ps(d, x, y);
// CHECK-NEXT:    __m512 f = ck_exp_f32x16(e);
// CHECK-NEXT:    __m512 g = _mm512_div_ps(f, y);
// CHECK-NEXT:    _mm512_storeu_ps(&p[i], g);
// CHECK-NEXT:    __m512i iv = _mm512_loadu_si512(&ip[i]);
// CHECK-NEXT:    __m512i ib = _mm512_set1_epi32(k);
// CHECK-NEXT:    __m512i ia = _mm512_add_epi32(iv, ib);
// CHECK-NEXT:    __m512i is = _mm512_sub_epi32(ia, ib);
// CHECK-NEXT:    __m512i im = _mm512_mullo_epi32(is, iv);
// CHECK-NEXT:    __m512i ix = _mm512_max_epi32(im, iv);
// CHECK-NEXT:    _mm512_storeu_si512(&ip[i], ix);
// CHECK-NEXT:  }

func.func @reductions(%v: vector<16xf32>, %w: vector<16xi32>, %h: vector<8xf32>) -> f32 attributes {simd.isa = #simd.isa<avx512>} {
  %a = simd.reduce add %v : vector<16xf32> -> f32
  %m = simd.reduce max %v : vector<16xf32> -> f32
  %ia = simd.reduce add %w : vector<16xi32> -> i32
  %im = simd.reduce max %w : vector<16xi32> -> i32
  %ha = simd.reduce add %h : vector<8xf32> -> f32
  %s = arith.addf %a, %m : f32
  %t = arith.addi %ia, %im : i32
  %tf = arith.sitofp %t : i32 to f32
  %u = arith.addf %s, %tf : f32
  %r = arith.addf %u, %ha : f32
  func.return %r : f32
}
// CHECK-LABEL: float reductions(__m512 v, __m512i w, __m256 h) {
// CHECK-NEXT:    float a = ck_reduce_add_f32x16(v);
// CHECK-NEXT:    float m = ck_reduce_max_f32x16(v);
// CHECK-NEXT:    int32_t ia = _mm512_reduce_add_epi32(w);
// CHECK-NEXT:    int32_t im = _mm512_reduce_max_epi32(w);
// CHECK-NEXT:    float ha = ck_reduce_add_f32x8(h);

// The Q8_0 inner step: 4 activation bytes repeated across the zmm, vpdpbusd.
func.func @dot_step(%acc: vector<16xi32>, %w: vector<64xi8>, %xq: memref<1024xi8>, %k: index) -> vector<16xi32> attributes {simd.isa = #simd.isa<avx512>} {
  %x4 = simd.load %xq[%k] : memref<1024xi8> -> vector<4xi8>
  %x = simd.broadcast %x4 : vector<4xi8> -> vector<64xi8>
  %n = simd.dot_i8 %acc, %w, %x : vector<16xi32>, vector<64xi8>, vector<64xi8>
  func.return %n : vector<16xi32>
}
// CHECK-LABEL: __m512i dot_step(__m512i acc, __m512i w, const int8_t *xq, int64_t k) {
// CHECK-NEXT:    __m128i x4 = _mm_loadu_si32(&xq[k]);
// CHECK-NEXT:    __m512i x = _mm512_broadcastd_epi32(x4);
// CHECK-NEXT:    __m512i n = _mm512_dpbusd_epi32(acc, w, x);
// CHECK-NEXT:    return n;

func.func @converts(%hp: memref<?x16xf16>, %bp: memref<?xbf16>, %qp: memref<?xi8>, %r: index, %v: vector<16xf32>, %iv: vector<16xi32>) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %h = simd.load %hp[%r, %c0] : memref<?x16xf16> -> vector<16xf16>
  %hf = simd.convert %h : vector<16xf16> -> vector<16xf32>
  %b = simd.load %bp[%r] : memref<?xbf16> -> vector<16xbf16>
  %bf = simd.convert %b : vector<16xbf16> -> vector<16xf32>
  %q = simd.load %qp[%r] : memref<?xi8> -> vector<16xi8>
  %qf = simd.convert %q : vector<16xi8> -> vector<16xf32>
  %if = simd.convert %iv : vector<16xi32> -> vector<16xf32>
  %to_h = simd.convert %v : vector<16xf32> -> vector<16xf16>
  simd.store %to_h, %hp[%r, %c0] : vector<16xf16>, memref<?x16xf16>
  %to_b = simd.convert %v : vector<16xf32> -> vector<16xbf16>
  simd.store %to_b, %bp[%r] : vector<16xbf16>, memref<?xbf16>
  %to_q = simd.convert %v : vector<16xf32> -> vector<16xi8>
  simd.store %to_q, %qp[%r] : vector<16xi8>, memref<?xi8>
  %to_i = simd.convert %v : vector<16xf32> -> vector<16xi32>
  %s0 = simd.add %hf, %bf : vector<16xf32>
  %s1 = simd.add %qf, %if : vector<16xf32>
  %s2 = simd.add %s0, %s1 : vector<16xf32>
  %back = simd.convert %to_i : vector<16xi32> -> vector<16xf32>
  %s3 = simd.add %s2, %back : vector<16xf32>
  func.return %s3 : vector<16xf32>
}
// CHECK-LABEL: __m512 converts(_Float16 *hp, int64_t hp_d0, uint16_t *bp, int64_t bp_d0, int8_t *qp, int64_t qp_d0, int64_t r, __m512 v, __m512i iv) {
// CHECK:         __m256i h = _mm256_loadu_si256((const __m256i *)&hp[r * 16]);
// CHECK-NEXT:    __m512 hf = _mm512_cvtph_ps(h);
// CHECK-NEXT:    __m256i b = _mm256_loadu_si256((const __m256i *)&bp[r]);
// CHECK-NEXT:    __m512 bf = ck_cvt_bf16_f32x16(b);
// CHECK-NEXT:    __m128i q = _mm_loadu_si128((const __m128i *)&qp[r]);
// CHECK-NEXT:    __m512 qf = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q));
// CHECK-NEXT:    __m512 if_ = _mm512_cvtepi32_ps(iv);
// CHECK-NEXT:    __m256i to_h = _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
// CHECK-NEXT:    _mm256_storeu_si256((__m256i *)&hp[r * 16], to_h);
// CHECK-NEXT:    __m256i to_b = ck_cvt_f32_bf16x16(v);
// CHECK-NEXT:    _mm256_storeu_si256((__m256i *)&bp[r], to_b);
// CHECK-NEXT:    __m128i to_q = ck_cvt_f32_i8x16(v);
// CHECK-NEXT:    _mm_storeu_si128((__m128i *)&qp[r], to_q);
// CHECK-NEXT:    __m512i to_i = _mm512_cvtps_epi32(v);
// CHECK:         __m512 back = _mm512_cvtepi32_ps(to_i);

// Vectors narrower than a zmm use the ymm/xmm forms of the same instructions.
func.func @narrow(%p: memref<64xf32>, %acc: vector<4xi32>, %a: vector<16xi8>, %b: vector<16xi8>) -> vector<4xi32> attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %v8 = simd.load %p[%c0] : memref<64xf32> -> vector<8xf32>
  %e8 = simd.exp %v8 : vector<8xf32>
  simd.store %e8, %p[%c8] : vector<8xf32>, memref<64xf32>
  %v2 = simd.load %p[%c0] : memref<64xf32> -> vector<2xf32>
  %f2 = simd.fma %v2, %v2, %v2 : vector<2xf32>
  simd.store %f2, %p[%c8] : vector<2xf32>, memref<64xf32>
  %n = simd.dot_i8 %acc, %a, %b : vector<4xi32>, vector<16xi8>, vector<16xi8>
  func.return %n : vector<4xi32>
}
// CHECK-LABEL: __m128i narrow(float *p, __m128i acc, __m128i a, __m128i b) {
// CHECK-NEXT:    __m256 v8 = _mm256_loadu_ps(&p[0]);
// CHECK-NEXT:    __m256 e8 = ck_exp_f32x8(v8);
// CHECK-NEXT:    _mm256_storeu_ps(&p[8], e8);
// CHECK-NEXT:    __m128 v2 = _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)&p[0]));
// CHECK-NEXT:    __m128 f2 = _mm_fmadd_ps(v2, v2, v2);
// CHECK-NEXT:    _mm_storel_epi64((__m128i *)&p[8], _mm_castps_si128(f2));
// CHECK-NEXT:    __m128i n = _mm_dpbusd_epi32(acc, a, b);
// CHECK-NEXT:    return n;
