// Each simd op on #simd.isa<scalar>: plain C on 1-lane values (vector<1xf32> is
// a float), small structs with loops for wider byte vectors (vector<4xi8> is
// ck_i8x4). No intrinsics; i32 arithmetic wraps via uint32_t.
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-translate %s -t c | filecheck %s --check-prefix=PLAIN
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null

// PLAIN-NOT: immintrin
// PLAIN-NOT: _mm
// CHECK:       typedef struct { int8_t v[4]; } ck_i8x4;
// CHECK:       typedef struct { _Float16 v[2]; } ck_f16x2;
// CHECK-LABEL: static inline float ck_exp_f32(float x) {
// CHECK-LABEL: static inline int32_t ck_dot_u8i8x4(int32_t acc, const int8_t *a, const int8_t *b) {
// CHECK:         for (int k = 0; k < 4; ++k) sum += (uint32_t)((int32_t)(uint8_t)a[k] * (int32_t)b[k]);
// CHECK-LABEL: static inline uint16_t ck_f32_to_bf16(float f) {
// CHECK-LABEL: static inline int8_t ck_f32_to_i8(float f) {
// CHECK-LABEL: static inline int32_t ck_f32_to_i32(float f) {

func.func @lanes(%p: memref<?xf32>, %ip: memref<?xi32>, %q: memref<?xi8>, %i: index, %s: f32, %k: i32) -> f32 attributes {simd.isa = #simd.isa<scalar>} {
  %x = simd.load %p[%i] : memref<?xf32> -> vector<1xf32>
  %y = simd.broadcast %s : f32 -> vector<1xf32>
  %a = simd.add %x, %y : vector<1xf32>
  %b = simd.sub %a, %y : vector<1xf32>
  %c = simd.mul %b, %x : vector<1xf32>
  %d = simd.max %c, %x : vector<1xf32>
  %e = simd.fma %d, %x, %y : vector<1xf32>
  %f = simd.exp %e : vector<1xf32>
  simd.store %f, %p[%i] : vector<1xf32>, memref<?xf32>
  %iv = simd.load %ip[%i] : memref<?xi32> -> vector<1xi32>
  %ib = simd.broadcast %k : i32 -> vector<1xi32>
  %ia = simd.add %iv, %ib : vector<1xi32>
  %im = simd.mul %ia, %iv : vector<1xi32>
  %ix = simd.max %im, %iv : vector<1xi32>
  %w = simd.load %q[%i] : memref<?xi8> -> vector<4xi8>
  %x1 = simd.load %q[%i] : memref<?xi8> -> vector<1xi8>
  %xb = simd.broadcast %x1 : vector<1xi8> -> vector<4xi8>
  %n = simd.dot_i8 %ix, %w, %xb : vector<1xi32>, vector<4xi8>, vector<4xi8>
  simd.store %n, %ip[%i] : vector<1xi32>, memref<?xi32>
  simd.store %w, %q[%i] : vector<4xi8>, memref<?xi8>
  %r = simd.reduce add %f : vector<1xf32> -> f32
  func.return %r : f32
}
// CHECK-LABEL: float lanes(float *p, int64_t p_d0, int32_t *ip, int64_t ip_d0, int8_t *q, int64_t q_d0, int64_t i, float s, int32_t k) {
// CHECK:         float x = p[i];
// CHECK-NEXT:    float y = s;
// CHECK-NEXT:    float a = x + y;
// CHECK-NEXT:    float b = a - y;
// CHECK-NEXT:    float c = b * x;
// CHECK-NEXT:    float d = c > x ? c : x;
// CHECK-NEXT:    float e = fmaf(d, x, y);
// CHECK-NEXT:    float f = ck_exp_f32(e);
// CHECK-NEXT:    p[i] = f;
// CHECK-NEXT:    int32_t iv = ip[i];
// CHECK-NEXT:    int32_t ib = k;
// CHECK-NEXT:    int32_t ia = (int32_t)((uint32_t)iv + (uint32_t)ib);
// CHECK-NEXT:    int32_t im = (int32_t)((uint32_t)ia * (uint32_t)iv);
// CHECK-NEXT:    int32_t ix = im > iv ? im : iv;
// CHECK-NEXT:    ck_i8x4 w;
// CHECK-NEXT:    memcpy(w.v, &q[i], sizeof w.v);
// CHECK-NEXT:    int8_t x1 = q[i];
// CHECK-NEXT:    ck_i8x4 xb;
// CHECK-NEXT:    for (int ck_l = 0; ck_l < 4; ++ck_l) xb.v[ck_l] = x1;
// CHECK-NEXT:    int32_t n = ck_dot_u8i8x4(ix, w.v, xb.v);
// CHECK-NEXT:    ip[i] = n;
// CHECK-NEXT:    memcpy(&q[i], w.v, sizeof w.v);
// CHECK-NEXT:    float r = f;
// CHECK-NEXT:    return r;

func.func @converts(%h: vector<1xf16>, %b: vector<1xbf16>, %q: vector<1xi8>, %i: vector<1xi32>, %v: vector<1xf32>, %hp: memref<?xf16>, %j: index) -> f32 attributes {simd.isa = #simd.isa<scalar>} {
  %hf = simd.convert %h : vector<1xf16> -> vector<1xf32>
  %bf = simd.convert %b : vector<1xbf16> -> vector<1xf32>
  %qf = simd.convert %q : vector<1xi8> -> vector<1xf32>
  %if = simd.convert %i : vector<1xi32> -> vector<1xf32>
  %vh = simd.convert %v : vector<1xf32> -> vector<1xf16>
  %vb = simd.convert %v : vector<1xf32> -> vector<1xbf16>
  %vq = simd.convert %v : vector<1xf32> -> vector<1xi8>
  %vi = simd.convert %v : vector<1xf32> -> vector<1xi32>
  %h2 = simd.load %hp[%j] : memref<?xf16> -> vector<2xf16>
  simd.store %h2, %hp[%j] : vector<2xf16>, memref<?xf16>
  %s0 = simd.add %hf, %bf : vector<1xf32>
  %s1 = simd.add %qf, %if : vector<1xf32>
  %s = simd.add %s0, %s1 : vector<1xf32>
  %r = simd.reduce add %s : vector<1xf32> -> f32
  func.return %r : f32
}
// CHECK-LABEL: float converts(_Float16 h, uint16_t b, int8_t q, int32_t i, float v, _Float16 *hp, int64_t hp_d0, int64_t j) {
// CHECK:         float hf = (float)h;
// CHECK-NEXT:    float bf = ck_bf16_to_f32(b);
// CHECK-NEXT:    float qf = (float)q;
// CHECK-NEXT:    float if_ = (float)i;
// CHECK-NEXT:    _Float16 vh = (_Float16)v;
// CHECK:         uint16_t vb = ck_f32_to_bf16(v);
// CHECK:         int8_t vq = ck_f32_to_i8(v);
// CHECK:         int32_t vi = ck_f32_to_i32(v);
// CHECK:         ck_f16x2 h2;
// CHECK-NEXT:    memcpy(h2.v, &hp[j], sizeof h2.v);
// CHECK-NEXT:    memcpy(&hp[j], h2.v, sizeof h2.v);
