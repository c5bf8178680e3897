// RUN: not ck-opt %s -p specialize-seq-len 2>&1 | filecheck %s

func.func @main(%tokens: tensor<?xi32>) {
  func.return
}

// CHECK: specialize-seq-len: no function @forward
