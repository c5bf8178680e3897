// scf.for / scf.if / scf.yield as LLVM basic blocks (test/emit_c/control_flow.mlir's
// functions): a loop is a header with one phi for the induction variable and one per carried
// value (so a swap needs no temporaries), a signed `<` test and an `add nsw` step, as C's
// `for (int64_t i = lb; i < ub; i += step)`; an if with results merges them with phis.
// control_flow_exec.mlir runs these functions.
// RUN: ck-translate %S/../emit_c/control_flow.mlir -t llvm | filecheck %s
// RUN: ck-translate %S/../emit_c/control_flow.mlir -t llvm | %python %S/Inputs/jit.py - | filecheck %s --check-prefix=JIT

// CHECK-LABEL: define i64 @fib(i64 %n) #{{[0-9]+}} {
// CHECK-NEXT:  entry:
// CHECK-NEXT:    br label %for
// CHECK-NEXT:  for:
// CHECK-NEXT:    %i = phi i64 [ 0, %entry ], [ %i.next, %body ]
// CHECK-NEXT:    %a = phi i64 [ 0, %entry ], [ %b, %body ]
// CHECK-NEXT:    %b = phi i64 [ 1, %entry ], [ %s, %body ]
// CHECK-NEXT:    %cont = icmp slt i64 %i, %n
// CHECK-NEXT:    br i1 %cont, label %body, label %done
// CHECK-NEXT:  body:
// CHECK-NEXT:    %s = add nsw i64 %a, %b
// CHECK-NEXT:    %i.next = add nsw i64 %i, 1
// CHECK-NEXT:    br label %for
// CHECK-NEXT:  done:
// CHECK-NEXT:    ret i64 %a
// CHECK-LABEL: define float @swap_keep(i64 %n, float %x, float %y, float %z)
// CHECK:         %p = phi float [ %x, %entry ], [ %q, %body ]
// CHECK-NEXT:    %q = phi float [ %y, %entry ], [ %p, %body ]
// CHECK-NEXT:    %keep = phi float [ %z, %entry ], [ %keep, %body ]
// An if without results or else falls through to its end; nested ifs with results merge
// each level's values where the inner if ended (%endif.2), not where it began.
// CHECK-LABEL: define i32 @branches(
// CHECK:         %acc = phi i32 [ 0, %entry ], [ %next, %endif.1 ]
// CHECK:         br i1 %neg, label %then, label %endif
// CHECK:         br i1 %big, label %then.1, label %else.1
// CHECK:       endif.2:
// CHECK-NEXT:    %x = phi i32 [ %lo, %then.2 ], [ %v, %else.2 ]
// CHECK-NEXT:    br label %endif.1
// CHECK-NEXT:  endif.1:
// CHECK-NEXT:    %w = phi i32 [ %hi, %then.1 ], [ %x, %endif.2 ]
// CHECK-LABEL: define void @nest(i32 %n, i32 %step, ptr %out)
// CHECK:         icmp slt i32 %{{.*}}, %n
// CHECK:         add nsw i32 %{{.*}}, %step

// JIT: fib swap_keep branches nest reuse
