import Synth
import Foundation
let s = RandomStream(seed: 42, purpose: .samples)
let n = 128
var buf = [Float](repeating: 0, count: n)
let t0 = Date()
var acc: Double = 0, acc2: Double = 0
let rows = 1_000_000
buf.withUnsafeMutableBufferPointer { b in
  for r in 0..<rows { s.fillNormals(row: UInt64(r), into: b); acc += Double(b[5]); acc2 += Double(b[77]*b[77]) }
}
let dt = Date().timeIntervalSince(t0)
print(Double(rows*n)/dt/1e6, "M normals/s single thread", acc/Double(rows), acc2/Double(rows))
