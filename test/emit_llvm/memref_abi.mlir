// The memref ABI in LLVM IR, the C target's (test/emit_c/memref_abi.mlir's functions): a
// `ptr`, then one i64 per dynamic dimension; `noalias` only with llvm.noalias (C's restrict);
// accesses linearize row-major (`mul nsw` / `add nsw`, then one `getelementptr inbounds`);
// memref.dim of a dynamic dimension is its parameter; calls pass the pointer and its sizes;
// private functions are `internal`; f16 is half, bf16 its bits (i16), i1 a byte, index i64.
// memref_exec.mlir runs these functions.
// RUN: ck-translate %S/../emit_c/memref_abi.mlir -t llvm | filecheck %s
// RUN: ck-translate %S/../emit_c/memref_abi.mlir -t llvm | %python %S/Inputs/jit.py -

// CHECK-LABEL: define void @matvec(ptr %w, i64 %w_d0, i64 %w_d1, ptr %x, i64 %x_d0, ptr %y, i64 %y_d0) #{{[0-9]+}} {
// CHECK:         call void @fill(ptr %y, i64 %y_d0, float 0x0000000000000000)
// CHECK:         %cont = icmp slt i64 %r, %w_d0
// CHECK:         %d = call float @row_dot(ptr %w, i64 %w_d0, i64 %w_d1, ptr %x, i64 %x_d0, i64 %r)
// CHECK-NEXT:    %p = getelementptr inbounds float, ptr %y, i64 %r
// CHECK-NEXT:    store float %d, ptr %p, align 4
// CHECK-LABEL: define internal float @row_dot(ptr %w, i64 %w_d0, i64 %w_d1, ptr %x, i64 %x_d0, i64 %r)
// CHECK:         %[[ROW:.*]] = mul nsw i64 %r, %w_d1
// CHECK-NEXT:    %[[LIN:.*]] = add nsw i64 %[[ROW]], %k
// CHECK-NEXT:    %p = getelementptr inbounds float, ptr %w, i64 %[[LIN]]
// CHECK-LABEL: define internal void @fill(ptr %y, i64 %y_d0, float %v)
// CHECK-LABEL: define float @layouts(ptr %a, i64 %a_d1, ptr %s, ptr %flags, ptr %ix, i64 %ix_d0, ptr %d, ptr noalias %g, i64 %g_d0, ptr %h, i64 %h_d1, ptr %l, i64 %i, i64 %j)
// CHECK:         load half, ptr %p, align 2
// CHECK:         getelementptr inbounds i1, ptr %flags, i64 %i
// CHECK:         getelementptr inbounds double, ptr %d, i64 2
// CHECK:         load i16, ptr %{{.*}}, align 2
