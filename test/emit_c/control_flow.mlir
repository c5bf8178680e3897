// scf.for / scf.if / scf.yield as C loops and ifs. Loop-carried values share
// one C variable with the loop result; a yield that reads another carried value
// (a swap, fibonacci) goes through temporaries. Sibling loops reuse names.
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null

func.func @fib(%n: index) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %c0, %b = %c1) -> (index, index) {
    %s = arith.addi %a, %b : index
    scf.yield %b, %s : index, index
  }
  func.return %r#0 : index
}
// CHECK-LABEL: int64_t fib(int64_t n) {
// CHECK-NEXT:    int64_t a = 0;
// CHECK-NEXT:    int64_t b = 1;
// CHECK-NEXT:    for (int64_t i = 0; i < n; ++i) {
// CHECK-NEXT:      int64_t s = a + b;
// CHECK-NEXT:      int64_t next_a = b;
// CHECK-NEXT:      int64_t next_b = s;
// CHECK-NEXT:      a = next_a;
// CHECK-NEXT:      b = next_b;
// CHECK-NEXT:    }
// CHECK-NEXT:    return a;
// CHECK-NEXT:  }

func.func @swap_keep(%n: index, %x: f32, %y: f32, %z: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %r:3 = scf.for %i = %c0 to %n step %c2 iter_args(%p = %x, %q = %y, %keep = %z) -> (f32, f32, f32) {
    scf.yield %q, %p, %keep : f32, f32, f32
  }
  %s = arith.subf %r#0, %r#1 : f32
  %t = arith.addf %s, %r#2 : f32
  func.return %t : f32
}
// CHECK-LABEL: float swap_keep(int64_t n, float x, float y, float z) {
// CHECK-NEXT:    float p = x;
// CHECK-NEXT:    float q = y;
// CHECK-NEXT:    float keep = z;
// CHECK-NEXT:    for (int64_t i = 0; i < n; i += 2) {
// CHECK-NEXT:      float next_p = q;
// CHECK-NEXT:      float next_q = p;
// CHECK-NEXT:      p = next_p;
// CHECK-NEXT:      q = next_q;
// CHECK-NEXT:    }
// CHECK-NEXT:    float s = p - q;
// CHECK-NEXT:    float t = s + keep;

func.func @branches(%m: memref<?xi32>, %lo: i32, %hi: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i32
  %n = memref.dim %m, %c0 : memref<?xi32>
  %total = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (i32) {
    %v = memref.load %m[%i] : memref<?xi32>
    %neg = arith.cmpi slt, %v, %zero : i32
    scf.if %neg {
      memref.store %zero, %m[%i] : memref<?xi32>
    } {ck.comment = "clamp negatives to 0 in place"}
    %big = arith.cmpi sgt, %v, %hi : i32
    %w = scf.if %big -> (i32) {
      scf.yield %hi : i32
    } else {
      %small = arith.cmpi slt, %v, %lo : i32
      %x = scf.if %small -> (i32) {
        scf.yield %lo : i32
      } else {
        scf.yield %v : i32
      }
      scf.yield %x : i32
    }
    %next = arith.addi %acc, %w : i32
    scf.yield %next : i32
  }
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %m[%i] : memref<?xi32>
    %v2 = arith.addi %v, %v : i32
    memref.store %v2, %m[%i] : memref<?xi32>
  }
  func.return %total : i32
}
// CHECK-LABEL: int32_t branches(int32_t *m, int64_t m_d0, int32_t lo, int32_t hi) {
// CHECK-NEXT:    int32_t acc = 0;
// CHECK-NEXT:    for (int64_t i = 0; i < m_d0; ++i) {
// CHECK-NEXT:      int32_t v = m[i];
// CHECK-NEXT:      bool neg = v < 0;
// CHECK-NEXT:      /* clamp negatives to 0 in place */
// CHECK-NEXT:      if (neg) {
// CHECK-NEXT:        m[i] = 0;
// CHECK-NEXT:      }
// CHECK-NEXT:      bool big = v > hi;
// CHECK-NEXT:      int32_t w;
// CHECK-NEXT:      if (big) {
// CHECK-NEXT:        w = hi;
// CHECK-NEXT:      } else {
// CHECK-NEXT:        bool small = v < lo;
// CHECK-NEXT:        int32_t x;
// CHECK-NEXT:        if (small) {
// CHECK-NEXT:          x = lo;
// CHECK-NEXT:        } else {
// CHECK-NEXT:          x = v;
// CHECK-NEXT:        }
// CHECK-NEXT:        w = x;
// CHECK-NEXT:      }
// CHECK-NEXT:      int32_t next = (int32_t)((uint32_t)acc + (uint32_t)w);
// CHECK-NEXT:      acc = next;
// CHECK-NEXT:    }
// CHECK-NEXT:    for (int64_t i = 0; i < m_d0; ++i) {
// CHECK-NEXT:      int32_t v = m[i];
// CHECK-NEXT:      int32_t v2 = (int32_t)((uint32_t)v + (uint32_t)v);
// CHECK-NEXT:      m[i] = v2;
// CHECK-NEXT:    }
// CHECK-NEXT:    return acc;

// i32 bounds, a non-constant step, and loops nested three deep.
func.func @nest(%n: i32, %step: i32, %out: memref<4x4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0 : i32
  %count = scf.for %k = %z to %n step %step iter_args(%cnt = %z) -> (i32) : i32 {
    %one = arith.constant 1 : i32
    %c = arith.addi %cnt, %one : i32
    scf.yield %c : i32
  }
  %cf = arith.sitofp %count : i32 to f32
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      scf.for %k = %c0 to %c4 step %c1 {
        memref.store %cf, %out[%i, %j, %k] : memref<4x4x4xf32>
      }
    }
  }
  func.return
}
// CHECK-LABEL: void nest(int32_t n, int32_t step, float *out) {
// CHECK-NEXT:    int32_t cnt = 0;
// CHECK-NEXT:    for (int32_t k = 0; k < n; k += step) {
// CHECK-NEXT:      int32_t c = (int32_t)((uint32_t)cnt + (uint32_t)1);
// CHECK-NEXT:      cnt = c;
// CHECK-NEXT:    }
// CHECK-NEXT:    float cf = (float)cnt;
// CHECK-NEXT:    for (int64_t i = 0; i < 4; ++i) {
// CHECK-NEXT:      for (int64_t j = 0; j < 4; ++j) {
// CHECK-NEXT:        for (int64_t k = 0; k < 4; ++k) {
// CHECK-NEXT:          out[(i * 4 + j) * 4 + k] = cf;

// Sibling scopes reuse names; an unused value still compiles ((void) marks it),
// as does a carried value that only passes through.
func.func @reuse(%m: memref<4xf32>, %n: index, %z: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %m[%i] : memref<4xf32>
    memref.store %v, %m[%c0] : memref<4xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %m[%i] : memref<4xf32>
  }
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%keep = %z) -> (f32) {
    scf.yield %keep : f32
  }
  func.return
}
// CHECK-LABEL: void reuse(float *m, int64_t n, float z) {
// CHECK-NEXT:    for (int64_t i = 0; i < n; ++i) {
// CHECK-NEXT:      float v = m[i];
// CHECK-NEXT:      m[0] = v;
// CHECK-NEXT:    }
// CHECK-NEXT:    for (int64_t i = 0; i < n; ++i) {
// CHECK-NEXT:      float v = m[i];
// CHECK-NEXT:      (void)v;
// CHECK-NEXT:    }
// CHECK-NEXT:    float keep = z;
// CHECK-NEXT:    for (int64_t i = 0; i < n; ++i) {
// CHECK-NEXT:    }
// CHECK-NEXT:    (void)keep;
