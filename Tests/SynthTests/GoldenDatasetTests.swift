import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The bytes of small datasets of every generator, noise kind and annotator
/// pool, pinned by their SHA-256. A dataset is a pure function of (spec,
/// seed, rows, format version) on every CPU and C library: these hashes
/// were computed on one machine and must come out the same on any other
/// (CI runs them wherever it lands, under several OpenBLAS kernels). A
/// change of format version changes them on purpose; update them then,
/// and only then.
@Suite struct GoldenDatasetTests {
    static let cases: [(name: String, spec: String, sha256: [String: String])] = [
        ("classification+random+annotators",
         #"{"rows": 3000, "seed": 5, "generator": {"type": "classification", "features": 12, "informative": 4, "redundant": 2, "classes": 3}, "noise": {"type": "random", "rate": 0.2}, "annotators": {"count": 5, "per_item": 2}}"#,
         [
            "annotations.npy": "499c64e36e214e17c97dea008e22398cca74c48cf8ac51e1864174a3f0916e2b",
            "features.npy": "f343b37ef93324cd886017603cbc9c0281388b296e16492dce778ab66bddee3e",
            "labels.npy": "5090dd8ae00b4221dcdc70a573416c536d2aeb9462af1acccc5d7cf127d72dbd",
            "noise_mask.npy": "cee5cb65368e489c09c07b43cabbfc930a2f7f07e17431f9e1ddca39c440a9e0",
            "true_labels.npy": "b1adf3ac40c08232dc7f5a8821a6a547a741ab54f330a1695303b629eb76f148",
         ]),
        ("blobs+flip", #"{"rows": 3000, "seed": 6, "generator": {"type": "blobs", "features": 5, "centers": 4}, "noise": {"type": "flip", "rate": 0.1}}"#, [
            "features.npy": "3156eb5b06cd50325ddbaa85ff2d1e264bf389530bd141e96c4bfff8c3462195",
            "labels.npy": "d5118867bcc1d69914a0d83897609142e082a29ff57732898af2e33b18197981",
            "noise_mask.npy": "23448fede9a6b78ac5642143f4baf667b278b236b61ae983e97ceeef86a39d94",
            "true_labels.npy": "6564116291b91d69f27543818f21459c30a1fe7e37f5f1ecb1d4685bb1ec453a",
         ]),
        ("moons+boundary", #"{"rows": 3000, "seed": 7, "generator": {"type": "moons", "noise": 0.1}, "noise": {"type": "boundary", "rate": 0.1}}"#, [
            "features.npy": "5cca4137a1e0b8c591554e3d34008bca797db07ca5922cff8c91ddedb0d6f559",
            "labels.npy": "a8d1bf3bd63bcd39df0993c61cb61d0e43f1655c2ff94279a21b2d4a7a994c9a",
            "noise_mask.npy": "ee5fb973c211aeb93093cb6d49841e0b45538705e9ae2f9bf046488a0f05bd0c",
            "true_labels.npy": "6f9c3908adbff6152e1dc3a19a437f7171040cbb8d45af017d3a7fa782fdf380",
         ]),
        ("circles", #"{"rows": 3000, "seed": 8, "generator": {"type": "circles", "noise": 0.05, "factor": 0.5}}"#, [
            "features.npy": "f68da5573bc345dc484358188a7935cae4a0af843399661c88d976e6fc16e196",
            "labels.npy": "ff519a68d4675762512f54cacb55b3462c33b860086aad7b92088d575e67a5e9",
            "noise_mask.npy": "2107e2706a718232f96039709b352c41046df1de0e46e51946d106d0f16fa3ad",
            "true_labels.npy": "ff519a68d4675762512f54cacb55b3462c33b860086aad7b92088d575e67a5e9",
         ]),
        ("regression", #"{"rows": 3000, "seed": 9, "generator": {"type": "regression", "features": 10, "informative": 4, "effective_rank": 3}}"#, [
            "features.npy": "44331dd862d3d8aed61583de754edfc8b6d0333235a6ad33e4e8ffd602e990aa",
            "targets.npy": "0c4478841971518741c510472f9e40a203d1445953c4a477b12d2a3e6f56713c",
         ]),
        ("regression, 64 features, low rank", #"{"rows": 3000, "seed": 12, "generator": {"type": "regression", "features": 64, "informative": 8, "effective_rank": 5}}"#, [
            "features.npy": "972203875bf67a076bee84fe583a9762380183cc20f07bcdf048c0b584a2261c",
            "targets.npy": "51aefc03540350a74ee2d6f8b4b74fbe4b4890c6b732111731b67c39bb9a6d6a",
         ]),
        ("multilabel", #"{"rows": 3000, "seed": 10, "generator": {"type": "multilabel", "features": 8, "labels": 5}}"#, [
            "features.npy": "dbc7cc6d00453bfd324c394f7418a1ac92d4c1000bd8a1e28259bce39451b436",
            "labels.npy": "24599883193630f25ad368cc4c15980bef6b90bd9fc269e45e4a0d434f517adf",
         ]),
        ("embedding+pair", #"{"rows": 3000, "seed": 11, "generator": {"type": "embedding", "dim": 16, "classes": 6}, "noise": {"type": "pair", "rate": 0.1}}"#, [
            "features.npy": "17b95bbf61985b7a63b9019bdee7813c21ec735e1f018adc15cbeabfdf674783",
            "labels.npy": "ff005434ace23893a3f121adfd69caaed60134ee398dd7bd74965a8275609946",
            "noise_mask.npy": "682669b68bbc90ea10a2e5eb47f4f01e8ac277a34722273a7b6b962a4dd18987",
            "true_labels.npy": "28ae4f3ea7e6baa4d9d30a4e0119cdfd57073e935dc0b444be9cfcab3837bc9d",
         ]),
    ]

    @Test(arguments: 0..<cases.count)
    func bytesAreThePinnedOnes(index: Int) throws {
        let c = Self.cases[index]
        let p = try plan(c.spec)
        let root = temporaryDirectory()
        var w = DatasetWriter(plan: p)
        w.threads = 2
        _ = try w.write(to: "\(root)/d")
        var found = [String: String]()
        for f in try FileManager.default.contentsOfDirectory(atPath: "\(root)/d").sorted() where f.hasSuffix(".npy") {
            found[f] = sha256Hex(Array(try Data(contentsOf: URL(fileURLWithPath: "\(root)/d/\(f)"))))
        }
        #expect(found == c.sha256, "\(c.name): \(found.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", "))")
    }
}
