import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// Spec numbers that float32 cannot hold, YAML's NaN and infinities, and
/// parameters that are each fine but together overflow: refused with the
/// field named; parameters near the limit that stay finite are accepted and
/// give finite rows within the stated bound.
@Suite struct SpecValueTests {
    func yamlPlan(_ text: String) throws -> DatasetPlan {
        let dir = temporaryDirectory()
        try text.write(toFile: "\(dir)/s.yaml", atomically: true, encoding: .utf8)
        return try DatasetPlan(spec: SpecLoader.load(path: "\(dir)/s.yaml"), source: "s.yaml")
    }

    func yamlError(_ text: String) -> String? { errorMessage { _ = try yamlPlan(text) } }

    @Test(arguments: [
        ("generator:\n  class_sep: .nan", "s.yaml: generator.class_sep: expected a number ≥ 0, found .nan (NaN)"),
        ("generator:\n  class_sep: .NaN", "s.yaml: generator.class_sep: expected a number ≥ 0, found .nan (NaN)"),
        ("noise:\n  type: flip\n  rate: .inf", "s.yaml: noise.rate: expected a number in [0, 1], found .inf (infinity)"),
        ("generator:\n  shift: -.inf", "s.yaml: generator.shift: expected a number or \"random\", found -.inf (minus infinity)"),
        ("rows: .inf", "s.yaml: rows: expected an integer in [1, 1099511627776], found .inf (infinity)"),
        ("generator:\n  weights: [.nan, 0.5]", "s.yaml: generator.weights: expected a list of numbers, found .nan (NaN)"),
        ("generator:\n  class_sep: 1e300", "s.yaml: generator.class_sep: expected a number within float32's range (|x| ≤ 3.40282e+38), found 1e+300"),
        ("generator:\n  scale: 1e39", "s.yaml: generator.scale: expected a number within float32's range (|x| ≤ 3.40282e+38) or \"random\", found 1e+39"),
        ("generator:\n  shift: -1e39", "s.yaml: generator.shift: expected a number within float32's range (|x| ≤ 3.40282e+38) or \"random\", found -1e+39"),
        ("generator:\n  type: blobs\n  cluster_std: 1e300", "s.yaml: generator.cluster_std: expected a number in [0, 3.40282e+38] or one per centre, found 1e+300"),
        ("generator:\n  type: blobs\n  center_box: [-1e39, 1]", "s.yaml: generator.center_box: expected a number within float32's range (|x| ≤ 3.40282e+38), found -1e+39"),
        ("generator:\n  type: blobs\n  centers: [[1e39, 0], [0, 0]]", "s.yaml: generator.centers[0]: expected a number within float32's range (|x| ≤ 3.40282e+38), found 1e+39"),
        ("generator:\n  type: regression\n  bias: 1e40", "s.yaml: generator.bias: expected a number within float32's range (|x| ≤ 3.40282e+38), found 1e+40"),
        ("generator:\n  type: moons\n  noise: 5e38", "s.yaml: generator.noise: expected a number within float32's range (|x| ≤ 3.40282e+38), found 5e+38"),
    ])
    func unrepresentableSpecNumbersNameTheirField(yaml: String, message: String) {
        #expect(yamlError(yaml) == message)
    }

    /// Parameters that fit float32 one by one but not together.
    @Test(arguments: [
        ("generator:\n  class_sep: 1e37\n  scale: 100", "class_sep 1e+37, shift 0 and scale 100"),
        ("generator:\n  class_sep: 3e38\n  informative: 3\n  redundant: 2", "class_sep 3e+38, shift 0 and scale 1"),
        ("generator:\n  shift: 3e38\n  scale: 2", "class_sep 1, shift 3e+38 and scale 2"),
        ("generator:\n  type: blobs\n  centers: [[3.4e38, 0], [0, 0]]\n  cluster_std: 1e37", "centres up to 3.4e+38 and cluster_std up to 1e+37"),
        ("generator:\n  type: moons\n  noise: 1e38", "noise 1e+38"),
        ("generator:\n  type: circles\n  noise: 6e37", "noise 6e+37"),
        ("generator:\n  type: regression\n  features: 10\n  bias: 3e38\n  noise: 1e37", "bias 3e+38 and noise 1e+37"),
        ("generator:\n  type: regression\n  features: 10\n  noise: 1e38", "bias 0 and noise 1e+38"),
        ("generator:\n  type: embedding\n  dim: 16\n  classes: 4\n  superclass_spread: 1e20",
         "superclass_spread 1e+20, class_spread 0.5, within_scale 0.3 and isotropic_noise 0.1 (normalized rows sum their squares)"),
    ])
    func parametersWhoseRowsOverflowAreRefusedBeforeWriting(yaml: String, parameters: String) {
        let message = yamlError(yaml)
        #expect(message?.hasPrefix("s.yaml: generator: expected parameters whose rows stay within float32's range (|x| ≤ 3.40282e+38), found \(parameters), which allow values up to ") == true,
                "\(message ?? "accepted")")
    }

    /// Near the limit but within it: accepted, every value finite and within
    /// the bound (so the bound is one), and the bound not far above what the
    /// rows reach where the formula has one dominant term.
    @Test(arguments: [
        (#"{"rows": 3000, "generator": {"class_sep": 1e30, "scale": 1e7, "redundant": 3}}"#, 0.0),
        (#"{"rows": 3000, "generator": {"class_sep": 1e35, "hypercube": false, "shift": "random", "scale": "random"}}"#, 0.0),
        (#"{"rows": 3000, "generator": {"type": "blobs", "centers": [[3e38, 0], [-3e38, 1]], "cluster_std": 0}}"#, 0.999),
        (#"{"rows": 3000, "generator": {"type": "blobs", "centers": [[1e30, 0], [0, 0]], "cluster_std": 1e37}}"#, 0.4),
        (#"{"rows": 3000, "generator": {"type": "moons", "noise": 3e37}}"#, 0.4),
        (#"{"rows": 3000, "generator": {"type": "circles", "noise": 3e37}}"#, 0.4),
        (#"{"rows": 2000, "generator": {"type": "regression", "features": 12, "bias": -2e38, "noise": 1e37}}"#, 0.5),
        (#"{"rows": 2000, "generator": {"type": "regression", "features": 12, "effective_rank": 3, "bias": 1e30}}"#, 0.0),
        (#"{"rows": 2000, "generator": {"type": "embedding", "dim": 16, "classes": 4, "superclass_spread": 1e17, "normalize": true}}"#, 0.0),
        (#"{"rows": 2000, "generator": {"type": "embedding", "dim": 16, "classes": 4, "superclass_spread": 1e30, "normalize": false}}"#, 0.5),
        (#"{"rows": 500, "generator": {"type": "multilabel", "features": 8, "length": 400}}"#, 0.0),
    ])
    func parametersNearTheLimitGiveFiniteRowsWithinTheBound(json: String, tightness: Double) throws {
        let p = try plan(json)
        let bound = p.generator.valueBound
        #expect(bound.isFinite)
        let (chunk, _) = generateAll(p)
        var largest = 0.0
        for x in chunk.features { #expect(x.isFinite); largest = max(largest, Double(abs(x))) }
        if p.generator.labelKind == .targets(count: 1) {
            for y in chunk.targets { #expect(y.isFinite); largest = max(largest, Double(abs(y))) }
        }
        // The bound is on exact values of float32 parameters' Double values;
        // a row is float32 sums of at most 24 terms here, whose rounding
        // adds at most 24·2^−24 (1.4e-6) of the bound, and parameters round
        // to float32 by 6e-8: hence the 1e-5.
        #expect(largest <= bound.magnitude * (1 + 1e-5), "\(largest) > \(bound.magnitude)")
        #expect(largest >= tightness * bound.magnitude, "\(largest) vs \(bound.magnitude)")
    }

    /// Every preset passes the check (a check that refused them would be wrong).
    @Test func everyPresetIsWithinTheLimit() throws {
        for preset in Presets.all {
            let p = try DatasetPlan(spec: preset.spec, source: preset.name)
            #expect(p.generator.valueBound.isFinite && p.generator.valueBound.magnitude < 1e6, "\(preset.name)")
        }
    }

    /// ``ValueBound/normal`` bounds the sampler's normals: the radius is
    /// largest for the two smallest radius words (u = 2^−32), and sine and
    /// cosine never exceed 1 by more than rounding over all 2^24 angles.
    @Test func theNormalKernelNeverExceedsTheStatedBound() {
        var largestRadius: Float = 0
        for start in stride(from: UInt32(0), to: 1 << 16, by: 8) {
            let w = SIMD8<UInt32>((0..<8).map { start + UInt32($0) })
            let r = _UnsafeNormalKernel.squareRoot(-2 * _UnsafeNormalKernel.logOfUniform(w))
            largestRadius = max(largestRadius, r.max())
        }
        let extreme = _UnsafeNormalKernel.squareRoot(-2 * _UnsafeNormalKernel.logOfUniform(SIMD8(repeating: 0)))[0]
        #expect(extreme == largestRadius)
        #expect(Double(extreme) > 6.66 && Double(extreme) <= ValueBound.normal)
        var largestTrig: Float = 0
        for start in stride(from: UInt32(0), to: 1 << 24, by: 8) {
            let w = SIMD8<UInt32>((0..<8).map { (start + UInt32($0)) << 8 })
            let (s, c) = _UnsafeNormalKernel.sinCosOfTurn(w)
            largestTrig = max(largestTrig, s.max(), -s.min(), c.max(), -c.min())
        }
        #expect(Double(largestTrig) * Double(extreme) <= ValueBound.normal)
    }
}
