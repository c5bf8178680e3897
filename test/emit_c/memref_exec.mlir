// Runs memref_abi.mlir's functions from C through the documented ABI.
// RUN: ck-translate %S/memref_abi.mlir -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/memref_driver.c -o %t.exe
// RUN: %t.exe | filecheck %s

// CHECK:      matvec 3x5: 30 80 130
// CHECK-NEXT: layouts: r=221.5 a[1][0][0]=123 s=124 flags[0]=1 ix[0]=7
