// Input of isa_selection.mlir: a function with vectors but no simd.isa.
func.func @plain(%a: vector<1xf32>, %b: vector<1xf32>) -> vector<1xf32> {
  %s = simd.add %a, %b : vector<1xf32>
  func.return %s : vector<1xf32>
}
