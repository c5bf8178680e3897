// The avx2 dot_i8 has no VNNI: its exact widening sum (zext a, sext b, four products per
// lane, then a wrapping add of acc), never vpmaddubsw (which saturates); run against the
// reference like test/emit_c/dot_i8_avx2_novnni_exec.mlir.
// RUN: ck-translate %S/../emit_c/dot_i8_avx2_novnni_exec.mlir -t llvm -o %t.ll
// RUN: filecheck %s --check-prefix=IR < %t.ll
// RUN: %python %S/Inputs/dot_i8_driver.py %t.ll avx2 | filecheck %S/../emit_c/dot_i8_avx2_novnni_exec.mlir

// IR-LABEL: define void @dot_i8_avx2(
// IR-NOT:   vpdpbusd
// IR:       zext <32 x i8> %{{.*}} to <32 x i32>
// IR-NEXT:  sext <32 x i8> %{{.*}} to <32 x i32>
// IR-NEXT:  mul <32 x i32>
// IR:       add <8 x i32> %av
// IR:       "target-features"="+avx2,+fma,+f16c"
