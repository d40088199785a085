import Testing
import Foundation
@testable import Eval
@testable import Synth

/// GLAD and MACE against crowd-kit on real crowd sets
/// (Tests/Oracles/aggregation_oracle.py writes the fixture).
@Suite struct AggregationOracleTests {
    nonisolated(unsafe) static let fixture: [String: Any] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/aggregation.json").path
        let data = FileManager.default.contents(atPath: path)!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    func answers(_ name: String) throws -> (AnswerSet, GoldLabels) {
        let dir = "\(CrowdReferenceTests.root)/\(name)"
        let (set, gold) = try AnswerReader.read(answers: "\(dir)/label.csv", gold: "\(dir)/truth.csv")
        return (set, gold!)
    }

    /// From crowd-kit's own initial draws, 50 iterations of MACE give
    /// crowd-kit's posteriors and parameters (it multiplies probabilities,
    /// this port adds logs: agreement to 1e-9).
    @Test(arguments: ["bluebird", "dog", "face"], [MACE.Method.variational, .em])
    func maceReplaysCrowdKit(name: String, method: MACE.Method) throws {
        let entry = (Self.fixture["mace"] as! [String: Any])[name] as! [String: Any]
        let (set, _) = try answers(name)
        let workers = entry["workers"] as! [String], labels = entry["labels"] as! [String]
        let k = set.classCount
        #expect(labels.count == k && workers.count == set.workerCount)
        let workerCode = Dictionary(uniqueKeysWithValues: workers.enumerated().map { ($1, $0) })
        let labelCode = set.classNames.map { labels.firstIndex(of: $0)! }
        let spam0 = entry["spamming_start"] as! [[Double]], strategy0 = entry["strategy_start"] as! [[Double]]
        var start = MACE.FittedValues(spamming: [], knowing: [], strategy: [])
        for v in 0..<set.workerCount {
            let code = workerCode[set.workerNames[v]]!
            start.spamming.append(spam0[code][0]); start.knowing.append(spam0[code][1])
            start.strategy += (0..<k).map { strategy0[code][labelCode[$0]] }
        }
        var options = MACE.Options()
        options.method = method
        let mace = MACE(set, starts: [start], options: options)
        let reference = entry[method.rawValue] as! [String: Any]
        let items = reference["items"] as! [String], posterior = reference["posterior"] as! [[Double]]
        var worst = 0.0
        for (row, item) in items.enumerated() {
            let t = set.itemNames.firstIndex(of: item)!
            for c in 0..<k { worst = max(worst, abs(mace.posterior[t * k + c] - posterior[row][labelCode[c]])) }
        }
        #expect(worst < 1e-9, "posterior differs by \(worst)")
        let spamming = reference["spamming"] as! [[Double]], strategy = reference["strategy"] as! [[Double]]
        var worstParameter = 0.0
        for v in 0..<set.workerCount {
            let code = workerCode[set.workerNames[v]]!
            worstParameter = max(worstParameter, abs(mace.fitted.spamming[v] - spamming[code][0]),
                                 abs(mace.fitted.knowing[v] - spamming[code][1]))
            for c in 0..<k { worstParameter = max(worstParameter, abs(mace.fitted.strategy[v * k + c] - strategy[code][labelCode[c]])) }
        }
        #expect(worstParameter < 1e-9, "parameters differ by \(worstParameter)")
    }

    /// Restarts draw distinct starts (crowd-kit's are all the same draw), the
    /// best log-likelihood wins, and a seed reproduces the run.
    @Test func maceRestartsAreDistinctAndReproducible() throws {
        let (set, gold) = try answers("bluebird")
        let starts = (0..<3).map { MACE.randomStart(set, seed: 5, restart: $0, noise: 0.5) }
        #expect(starts[0] != starts[1] && starts[1] != starts[2])
        var options = MACE.Options()
        options.seed = 5
        let a = MACE(set, options: options), b = MACE(set, options: options)
        #expect(a.posterior == b.posterior && a.restartLogLikelihoods.count == 10)
        #expect(a.restartLogLikelihoods[a.bestRestart] == a.restartLogLikelihoods.max())
        // Spammers answer at random: MACE's accuracy on bluebird is in the
        // range of the other models' (0.76 majority vote, 0.90 Dawid–Skene).
        #expect(accuracy(a.labels, gold: gold).value! > 0.7)
    }

    /// GLAD against crowd-kit run far past its defaults (n_iter=300,
    /// tol=1e-12, 200 CG steps to 1e-10 per M-step; it stops after 26
    /// iterations on bluebird, 18 on dog): both reach the same optimum.
    /// Scored by the same exact log posterior the two agree to 1e-10
    /// relative, the labels are the same, and the posteriors and parameters
    /// agree to the flatness of the optimum.
    @Test(arguments: ["bluebird", "dog"])
    func gladReachesCrowdKitsOptimum(name: String) throws {
        let entry = (Self.fixture["glad"] as! [String: Any])[name] as! [String: Any]
        let (set, _) = try answers(name)
        let glad = GLAD(set)
        #expect(glad.converged, "\(glad.iterations) iterations")
        let k = set.classCount
        let labels = entry["labels"] as! [String]
        let column = set.classNames.map { labels.firstIndex(of: $0)! }
        let items = entry["items"] as! [String], posterior = entry["posterior"] as! [[Double]]
        var worst = 0.0, sameLabel = 0
        for (row, item) in items.enumerated() {
            let t = set.itemNames.firstIndex(of: item)!
            for c in 0..<k { worst = max(worst, abs(glad.posterior[t * k + c] - posterior[row][column[c]])) }
            let theirs = (0..<k).max { posterior[row][column[$0]] < posterior[row][column[$1]] }!
            if theirs == Int(glad.labels[t]) { sameLabel += 1 }
        }
        #expect(sameLabel == items.count)
        #expect(worst < 1e-3, "posterior differs by \(worst)")
        let alphas = entry["alphas"] as! [String: Double], betas = entry["betas"] as! [String: Double]
        let theirAlpha = set.workerNames.map { alphas[$0]! }, theirBeta = set.itemNames.map { betas[$0]! }
        let alphaGap = (0..<set.workerCount).map { abs(glad.abilities[$0] - theirAlpha[$0]) }.max()!
        let betaGap = (0..<set.itemCount).map { abs(glad.difficulties[$0] - theirBeta[$0]) }.max()!
        #expect(alphaGap < 1e-3 && betaGap < 1e-3, "alpha gap \(alphaGap), beta gap \(betaGap)")
        let theirs = GLAD.logPosterior(set, abilities: theirAlpha, difficulties: theirBeta)
        #expect(abs(glad.logPosterior - theirs) <= 1e-10 * abs(theirs), "ours \(glad.logPosterior), crowd-kit's \(theirs) after \(glad.iterations) iterations")
    }

    /// One-coin Dawid–Skene run to convergence (tolerance 1e-12 on both
    /// sides) lands on crowd-kit's converged OneCoinDawidSkene: the same
    /// labels, skills and posteriors to the flatness of the optimum (both
    /// stop at changes of 1e-12; EM converges linearly, so the parameters
    /// are within a few orders of that change's square root). crowd-kit's
    /// default run (tol 1e-5 on its per-answer ELBO) stops earlier; at
    /// synthctl's defaults the labels are still crowd-kit's converged ones
    /// on these sets.
    @Test(arguments: ["bluebird", "dog", "face"])
    func oneCoinReachesCrowdKitsOptimum(name: String) throws {
        let entry = (Self.fixture["one_coin"] as! [String: Any])[name] as! [String: Any]
        let (set, _) = try answers(name)
        var o = DawidSkene.Options()
        o.oneCoin = true
        o.maxIterations = 2000
        o.tolerance = 1e-12
        let model = DawidSkene(set, options: o, threads: 1)
        #expect(model.converged, "\(model.iterations) iterations")
        let k = set.classCount
        let labels = entry["labels"] as! [String]
        let column = set.classNames.map { labels.firstIndex(of: $0)! }
        let items = entry["items"] as! [String], posterior = entry["posterior"] as! [[Double]]
        var worst = 0.0, sameLabel = 0, sameAtDefaults = 0
        let defaults = DawidSkene(set, options: { var d = DawidSkene.Options(); d.oneCoin = true; return d }(), threads: 1)
        for (row, item) in items.enumerated() {
            let t = set.itemNames.firstIndex(of: item)!
            for c in 0..<k { worst = max(worst, abs(model.posterior[t * k + c] - posterior[row][column[c]])) }
            let theirs = (0..<k).max { posterior[row][column[$0]] < posterior[row][column[$1]] }!
            if theirs == Int(model.labels[t]) { sameLabel += 1 }
            if theirs == Int(defaults.labels[t]) { sameAtDefaults += 1 }
        }
        #expect(sameLabel == items.count)
        #expect(sameAtDefaults == items.count)
        #expect(worst < 1e-4, "posterior differs by \(worst)")
        let skills = entry["skills"] as! [String: Double]
        let gap = (0..<set.workerCount).map { abs(model.skill(ofWorker: $0) - skills[set.workerNames[$0]]!) }.max()!
        #expect(gap < 1e-4, "skills differ by \(gap)")
    }

    /// EM never lowers GLAD's log posterior; gold items stay clamped.
    @Test func gladIsMonotoneAndTakesGold() throws {
        let (set, gold) = try answers("bluebird")
        var previous = -Double.infinity
        for iterations in 1...6 {
            var o = GLAD.Options()
            o.maxIterations = iterations
            o.tolerance = 0
            let ll = GLAD(set, options: o).logPosterior
            #expect(ll >= previous - 1e-9 * abs(ll))
            previous = ll
        }
        let clamped = GLAD(set, gold: gold)
        #expect(accuracy(clamped.labels, gold: gold) == .defined(1))
    }
}
