import Testing
@testable import SynthctlCore

/// The substream table's guarantee: no two purposes draw the same numbers.
@Suite struct SubstreamTests {
    /// Overlaps that predate the table, kept so outputs stay byte-identical:
    /// cross-validation's per-class folds use the class index as their id.
    static let knownOverlaps: Set<[Substream]> = [
        [.crossValidationClasses, .rowOrder],
        [.crossValidationClasses, .majorityVoteTies],
        [.crossValidationClasses, .maceRestarts],
    ]

    @Test func noTwoSubstreamsShareAnId() {
        var overlaps = Set<[Substream]>()
        let all = Substream.allCases
        for (i, a) in all.enumerated() {
            for b in all[(i + 1)...] where a.purpose == b.purpose && a.ids.overlaps(b.ids) {
                // Parts of different generators never meet: a dataset has one generator.
                if let x = a.exclusiveTo, let y = b.exclusiveTo, x != y { continue }
                overlaps.insert([a, b].sorted { "\($0)" < "\($1)" })
            }
        }
        #expect(overlaps == Self.knownOverlaps)
    }

    @Test func familiesAddTheIndexToTheirFirstId() {
        #expect(Substream.mixtureStarts.id(3) == 5003)
        #expect(Substream.maceRestarts.id(0) == 1000)
        #expect(Substream.crossValidationClasses.id(7) == Substream.majorityVoteTies.id)
        #expect(RandomStream(seed: 5, .maceRestarts, index: 2) == RandomStream(seed: 5, purpose: .shuffle, substream: 1002))
    }

    /// The ids are part of the format: a seed must give the bytes it gave
    /// before the table existed.
    @Test func idsAreTheHistoricalOnes() {
        #expect(Substream.noiseTransition.id == 20)
        #expect((Substream.annotatorProfiles.id, Substream.annotatorConfusionTargets.id) == (30, 33))
        #expect(Substream.classificationCentroidCoordinates.id == 9)
        #expect(Substream.fidelityHoldoutSplit.id == 1 << 20 + 1)
        #expect(Substream.kidSubsets.ids.lowerBound == 1 << 20 + 1 << 12)
        #expect(Substream.learningCurveSubsets.ids.lowerBound == 1 << 24)
    }

    /// Each generator's own parts stay below the shared structure ids, so a
    /// new generator's parts cannot reach the noise's or the annotators'.
    @Test func generatorPartsStayBelowTheSharedIds() {
        for s in Substream.allCases where s.purpose == .structure && s.exclusiveTo != nil {
            #expect(s.ids.upperBound < Substream.noiseTransition.id, "\(s)")
        }
    }
}
