// Scalar arith / math as C: iN add/sub/mul/shl wrap through unsigned types,
// index is plain int64_t, unsigned ops cast, constants are inlined literals
// (inf / nan / -0 / INT64_MIN), float compares follow the ordered/unordered
// predicates, bf16 is computed in f32 and rounded back.
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null

func.func @ints(%a: i32, %b: i32, %x: index, %y: index, %c: i8, %l: i64) -> i32 {
  %add = arith.addi %a, %b : i32
  %sub = arith.subi %add, %b : i32
  %mul = arith.muli %sub, %a : i32
  %div = arith.divsi %mul, %b : i32
  %udiv = arith.divui %div, %b : i32
  %rem = arith.remsi %udiv, %b : i32
  %urem = arith.remui %rem, %b : i32
  %fdiv = arith.floordivsi %urem, %b : i32
  %cdiv = arith.ceildivsi %fdiv, %b : i32
  %mn = arith.minsi %cdiv, %a : i32
  %mx = arith.maxsi %mn, %a : i32
  %umn = arith.minui %mx, %a : i32
  %umx = arith.maxui %umn, %a : i32
  %and = arith.andi %umx, %b : i32
  %or = arith.ori %and, %b : i32
  %xor = arith.xori %or, %b : i32
  %shl = arith.shli %xor, %b : i32
  %shr = arith.shrsi %shl, %b : i32
  %shru = arith.shrui %shr, %b : i32
  %ix = arith.addi %x, %y : index
  %iy = arith.muli %ix, %y : index
  %i32 = arith.index_cast %iy : index to i32
  %c8 = arith.addi %c, %c : i8
  %w = arith.extsi %c8 : i8 to i32
  %uw = arith.extui %c8 : i8 to i32
  %t = arith.trunci %l : i64 to i32
  %big = arith.constant -9223372036854775808 : i64
  %big2 = arith.constant 4294967296 : i64
  %m1 = arith.constant -1 : i32
  %lb = arith.addi %l, %big : i64
  %lc = arith.muli %lb, %big2 : i64
  %lt = arith.trunci %lc : i64 to i32
  %s0 = arith.addi %shru, %i32 : i32
  %s1 = arith.addi %s0, %w : i32
  %s2 = arith.addi %s1, %uw : i32
  %s3 = arith.addi %s2, %t : i32
  %s4 = arith.addi %s3, %lt : i32
  %s5 = arith.muli %s4, %m1 : i32
  func.return %s5 : i32
}
// CHECK-LABEL: int32_t ints(int32_t a, int32_t b, int64_t x, int64_t y, int8_t c, int64_t l) {
// CHECK-NEXT:    int32_t add = (int32_t)((uint32_t)a + (uint32_t)b);
// CHECK-NEXT:    int32_t sub = (int32_t)((uint32_t)add - (uint32_t)b);
// CHECK-NEXT:    int32_t mul = (int32_t)((uint32_t)sub * (uint32_t)a);
// CHECK-NEXT:    int32_t div = mul / b;
// CHECK-NEXT:    int32_t udiv = (int32_t)((uint32_t)div / (uint32_t)b);
// CHECK-NEXT:    int32_t rem = udiv % b;
// CHECK-NEXT:    int32_t urem = (int32_t)((uint32_t)rem % (uint32_t)b);
// CHECK-NEXT:    int32_t fdiv = (int32_t)ck_floordivsi(urem, b);
// CHECK-NEXT:    int32_t cdiv = (int32_t)ck_ceildivsi(fdiv, b);
// CHECK-NEXT:    int32_t mn = cdiv < a ? cdiv : a;
// CHECK-NEXT:    int32_t mx = mn > a ? mn : a;
// CHECK-NEXT:    int32_t umn = (uint32_t)mx < (uint32_t)a ? mx : a;
// CHECK-NEXT:    int32_t umx = (uint32_t)umn > (uint32_t)a ? umn : a;
// CHECK-NEXT:    int32_t and = umx & b;
// CHECK-NEXT:    int32_t or = and | b;
// CHECK-NEXT:    int32_t xor = or ^ b;
// CHECK-NEXT:    int32_t shl = (int32_t)((uint32_t)xor << b);
// CHECK-NEXT:    int32_t shr = shl >> b;
// CHECK-NEXT:    int32_t shru = (int32_t)((uint32_t)shr >> b);
// CHECK-NEXT:    int64_t ix = x + y;
// CHECK-NEXT:    int64_t iy = ix * y;
// CHECK-NEXT:    int32_t i32 = (int32_t)iy;
// CHECK-NEXT:    int8_t c8 = (int8_t)(c + c);
// CHECK-NEXT:    int32_t w = (int32_t)c8;
// CHECK-NEXT:    int32_t uw = (int32_t)(uint8_t)c8;
// CHECK-NEXT:    int32_t t = (int32_t)l;
// CHECK-NEXT:    int64_t lb = (int64_t)((uint64_t)l + (uint64_t)INT64_MIN);
// CHECK-NEXT:    int64_t lc = (int64_t)((uint64_t)lb * (uint64_t)INT64_C(4294967296));
// CHECK:         int32_t s5 = (int32_t)((uint32_t)s4 * (uint32_t)(-1));
// CHECK-NEXT:    return s5;

func.func @floats(%a: f32, %b: f32, %d: f64, %h: f16, %g: bf16) -> f32 {
  %inf = arith.constant 0x7F800000 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %nan = arith.constant 0x7FC00000 : f32
  %nz = arith.constant -0.0 : f32
  %tenth = arith.constant 0.1 : f32
  %add = arith.addf %a, %inf : f32
  %sub = arith.subf %add, %ninf : f32
  %mul = arith.mulf %sub, %nan : f32
  %div = arith.divf %mul, %nz : f32
  %neg = arith.negf %div : f32
  %mx = arith.maximumf %neg, %tenth : f32
  %mn = arith.minimumf %mx, %b : f32
  %dd = arith.mulf %d, %d : f64
  %dx = arith.maximumf %dd, %d : f64
  %hh = arith.addf %h, %h : f16
  %gg = arith.mulf %g, %g : bf16
  %gn = arith.negf %gg : bf16
  %hf = arith.extf %hh : f16 to f32
  %gf = arith.extf %gn : bf16 to f32
  %df = arith.truncf %dx : f64 to f32
  %back = arith.truncf %gf : f32 to bf16
  %bits = arith.bitcast %mn : f32 to i32
  %fl = arith.sitofp %bits : i32 to f32
  %ul = arith.uitofp %bits : i32 to f32
  %si = arith.fptosi %fl : f32 to i32
  %s0 = arith.addf %hf, %gf : f32
  %s1 = arith.addf %s0, %df : f32
  %s2 = arith.addf %s1, %ul : f32
  %bk = arith.extf %back : bf16 to f32
  %s3 = arith.addf %s2, %bk : f32
  %sif = arith.sitofp %si : i32 to f32
  %s4 = arith.addf %s3, %sif : f32
  func.return %s4 : f32
}
// CHECK-LABEL: float floats(float a, float b, double d, _Float16 h, uint16_t g) {
// CHECK-NEXT:    float add = a + INFINITY;
// CHECK-NEXT:    float sub = add - (-INFINITY);
// CHECK-NEXT:    float mul = sub * NAN;
// CHECK-NEXT:    float div = mul / (-0.0f);
// CHECK-NEXT:    float neg = -div;
// CHECK-NEXT:    float mx = ck_maximumf(neg, 0.1f);
// CHECK-NEXT:    float mn = ck_minimumf(mx, b);
// CHECK-NEXT:    double dd = d * d;
// CHECK-NEXT:    double dx = ck_maximum(dd, d);
// CHECK-NEXT:    _Float16 hh = h + h;
// CHECK-NEXT:    uint16_t gg = ck_f32_to_bf16(ck_bf16_to_f32(g) * ck_bf16_to_f32(g));
// CHECK-NEXT:    uint16_t gn = (uint16_t)(gg ^ 0x8000u);
// CHECK-NEXT:    float hf = (float)hh;
// CHECK-NEXT:    float gf = ck_bf16_to_f32(gn);
// CHECK-NEXT:    float df = (float)dx;
// CHECK-NEXT:    uint16_t back = ck_f32_to_bf16(gf);
// CHECK-NEXT:    int32_t bits;
// CHECK-NEXT:    memcpy(&bits, &mn, sizeof bits);
// CHECK-NEXT:    float fl = (float)bits;
// CHECK-NEXT:    float ul = (float)(uint32_t)bits;
// CHECK-NEXT:    int32_t si = (int32_t)fl;

func.func @compares(%a: f32, %b: f32, %i: i32, %j: i32, %p: i1) -> i1 {
  %oeq = arith.cmpf oeq, %a, %b : f32
  %one = arith.cmpf one, %a, %b : f32
  %olt = arith.cmpf olt, %a, %b : f32
  %ord = arith.cmpf ord, %a, %b : f32
  %ueq = arith.cmpf ueq, %a, %b : f32
  %ult = arith.cmpf ult, %a, %b : f32
  %une = arith.cmpf une, %a, %b : f32
  %uno = arith.cmpf uno, %a, %b : f32
  %slt = arith.cmpi slt, %i, %j : i32
  %ult2 = arith.cmpi ult, %i, %j : i32
  %eq = arith.cmpi eq, %i, %j : i32
  %sel = arith.select %p, %i, %j : i32
  %r0 = arith.andi %oeq, %one : i1
  %r1 = arith.ori %r0, %olt : i1
  %r2 = arith.xori %r1, %ord : i1
  %r3 = arith.andi %r2, %ueq : i1
  %r4 = arith.ori %r3, %ult : i1
  %r5 = arith.xori %r4, %une : i1
  %r6 = arith.andi %r5, %uno : i1
  %r7 = arith.ori %r6, %slt : i1
  %r8 = arith.xori %r7, %ult2 : i1
  %r9 = arith.andi %r8, %eq : i1
  %z = arith.constant 0 : i32
  %r10 = arith.cmpi sgt, %sel, %z : i32
  %r11 = arith.ori %r9, %r10 : i1
  func.return %r11 : i1
}
// CHECK-LABEL: bool compares(float a, float b, int32_t i, int32_t j, bool p) {
// CHECK-NEXT:    bool oeq = a == b;
// CHECK-NEXT:    bool one = islessgreater(a, b);
// CHECK-NEXT:    bool olt = a < b;
// CHECK-NEXT:    bool ord = !isunordered(a, b);
// CHECK-NEXT:    bool ueq = !islessgreater(a, b);
// CHECK-NEXT:    bool ult = !(a >= b);
// CHECK-NEXT:    bool une = a != b;
// CHECK-NEXT:    bool uno = isunordered(a, b);
// CHECK-NEXT:    bool slt = i < j;
// CHECK-NEXT:    bool ult2 = (uint32_t)i < (uint32_t)j;
// CHECK-NEXT:    bool eq = i == j;
// CHECK-NEXT:    int32_t sel = p ? i : j;

func.func @maths(%x: f32, %y: f32, %d: f64, %h: f16) -> f32 {
  %e = math.exp %x : f32
  %l = math.log %e : f32
  %s = math.sqrt %l : f32
  %r = math.rsqrt %s : f32
  %t = math.tanh %r : f32
  %c = math.cos %t : f32
  %n = math.sin %c : f32
  %p = math.powf %n, %y : f32
  %a = math.absf %p : f32
  %f = math.fma %a, %x, %y : f32
  %de = math.exp %d : f64
  %dr = math.rsqrt %de : f64
  %he = math.tanh %h : f16
  %df = arith.truncf %dr : f64 to f32
  %hf = arith.extf %he : f16 to f32
  %s1 = arith.addf %f, %df : f32
  %s2 = arith.addf %s1, %hf : f32
  func.return %s2 : f32
}
// CHECK-LABEL: float maths(float x, float y, double d, _Float16 h) {
// CHECK-NEXT:    float e = expf(x);
// CHECK-NEXT:    float l = logf(e);
// CHECK-NEXT:    float s = sqrtf(l);
// CHECK-NEXT:    float r = 1.0f / sqrtf(s);
// CHECK-NEXT:    float t = tanhf(r);
// CHECK-NEXT:    float c = cosf(t);
// CHECK-NEXT:    float n = sinf(c);
// CHECK-NEXT:    float p = powf(n, y);
// CHECK-NEXT:    float a = fabsf(p);
// CHECK-NEXT:    float f = fmaf(a, x, y);
// CHECK-NEXT:    double de = exp(d);
// CHECK-NEXT:    double dr = 1.0 / sqrt(de);
// CHECK-NEXT:    _Float16 he = (_Float16)(tanhf(h));
