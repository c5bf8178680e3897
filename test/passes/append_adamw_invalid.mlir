// RUN: not ck-opt %s -p append-adamw 2>&1 | filecheck %s

// The optimizer needs the weights placed: a module before plan-memory has no ck.weights_bytes.
func.func @ck_train_step(%x: tensor<2x8xf32>) {
  func.return
}

// CHECK: append-adamw: the module has no ck.weights_bytes: run plan-memory first
