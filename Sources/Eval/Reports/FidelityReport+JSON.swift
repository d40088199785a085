import Synth
import SynthctlCore

extension FidelityReport {
    /// What each number means and which way is better, stamped into every
    /// report with ``definitionsVersion``: each metric's definition
    /// (``FidelityMetric/definition``) and what the report says beside them.
    static let definitions: [String: JSONValue] = FidelityMetric.definitions.merging([
        "rounding_bound": .string("beside MMD², KID and the Fréchet distance: the largest change that rounding in machine-dependent steps (sgemm products, LAPACK eigensolvers) can make to the number, by error analysis; two machines agree within the sum of their bounds. Every other number is computed in a fixed order or decided exactly and is the same on every machine"),
        "feature_space": .string("the space of every metric but boundary adherence and utility: standardized = each numeric column minus the human training rows' mean, over their population standard deviation (scikit-learn StandardScaler), the same transform on the holdout, baselines and synthetic rows; a column constant in the training rows is centred, not scaled (unscaled_columns, from 0); raw = the columns' own units. Categorical columns (standardized space only; the raw space refuses them) are one-hot encoded after the numeric ones, a row's category 1/√2 and the others 0, so that a change of category is a unit distance, as a change of one standard deviation is (one_hot: the value, each column's categories, the human set's first, then the synthetic set's unseen ones; human_categories counts the human set's, training rows and holdout, training_categories the training rows', against which category coverage and unseen categories count); every metric sees them but the marginals (KS, Wasserstein, correlations), which keep the numeric columns, and utility. Boundary adherence and integrality use the numeric columns' units; utility's classifier standardizes on its own training rows"),
        "matched_sizes": .string("precision, recall, density, coverage, MMD², KID, the detection AUCs (cross-validated and held-out) and the SDMetrics score depend on how many rows are compared (more synthetic rows cover more human rows), and so do the statistics comparing the two sets' distributions, which shrink as both samples grow (two-sample KS like √((n + m)/(nm)), Fréchet with an O(d/n) upward bias): mean and max KS, mean Wasserstein, label total variation, mean and max |Δ correlation|, the Fréchet distance, column shapes and column pair trends. All of them (matched_sizes.metrics) are computed with both sides at the matched size m = min(synthetic rows, holdout rows), the size every baseline has: the larger side (the synthetic set, or else the baselines) subsampled without replacement over seeded draws, the same rows of each draw for every metric, each value the mean over draws with their standard deviation beside it (_sd, n − 1; absent for one draw); beside the Fréchet distance, MMD² and KID the largest rounding bound of a draw. The details beside the marginal metrics (marginals.per_feature, correlation.max_pair, the Fréchet mean_term and covariance_term, column_shapes.columns and min_score, column_pair_trends.worst_pairs) stay on all rows: they locate a difference, and are not means over draws. DCR, copies, the closer-to-training share, authenticity and the validity shares (boundary adherence, integrality, category coverage, unseen categories) are per-row averages with the same expectation at any size and use every row. With size_draws 0 every metric is on all rows (subsampled all_rows). Per class, precision, recall, density, coverage, mean_ks, mean_wasserstein and mean_abs_correlation_difference are matched the same way within the class (a marginal statistic undefined on some draw keeps its value on all rows; frechet and mmd2_unbiased keep every row, with their rounding bounds): m = min(the class's synthetic rows, its holdout rows), the larger subsampled over the same number of seeded draws, measured against every training row of the class (per_class[].matched_sizes: size, draws, subsampled = synthetic | holdout | neither; size null with the problem when m ≤ k or the class has no holdout rows, its values then on all rows), beside the class's holdout rows at the same size (per_class[].human_holdout: the per-class baseline); the per-class detection AUC keeps every row"),
        "intervals": .string("_ci95 beside a metric: its 95% interval. held-out detection AUC: mean over draws ± 1.96 × the draws' mean DeLong standard error (DeLong et al. 1988; the draws share the human rows, and the mean of their errors bounds the error of their mean); the cross-validated detection AUC has none, since DeLong's error on pooled out-of-fold scores is too small (definitions.detection); precision (share of m candidate rows), recall and coverage (shares of the human training rows), authenticity and exact copies (shares of the candidate rows): Wilson score interval (Wilson 1927); TSTR and TRTR macro-F1: percentile bootstrap over the held-out rows (bootstrap_resamples seeded resamples, models fixed); per class: detection_held_out_auc_ci95 by DeLong, and detection_auc_unreliable (of the cross-validated AUC) when a side has fewer than 50 rows or the interval is wider than 0.227 (the width at 50 rows a side and AUC 0.5, Hanley–McNeil): a tree detector on small classes scores far from 0.5 by chance"),
        "verdict": .string("kind is the first finding of: distinguishable when the held-out detection AUC's 95% interval lies above 0.5, when some class's held-out detection AUC lies above 0.5 after a Bonferroni correction over the K classes with a defined AUC (AUC − z·SE > 0.5, z = Φ⁻¹(1 − 0.05/(2K)), two-sided as the printed intervals; the text prints these adjusted intervals, at 1 − 0.05/K; classes with detection_auc_unreliable count in K but are not named; distinguishable_classes lists them, bonferroni_classes is K), when a class of the human training rows has no synthetic row (missing_classes), or when a class's share of the synthetic rows differs from its share of the training rows beyond sampling (shifted_classes: the pooled two-proportion z-test at the matched synthetic size m*, |q − p| > z·√(p̄(1 − p̄)(1/n + 1/m*)), z = Φ⁻¹(1 − 0.025/(2K)) over the K classes both sides have; the text adds label TV); closer_than_human when the held-out detection AUC's interval lies below 0.5 and the privacy checks show copying (exact copies above the holdout's share h or near copies above their quantile q, each by more than 1.96·√(p(1 − p)(1/m + 1/n)), p = h or q, m synthetic and n holdout rows, or a median DCR ratio below 0.9; not the closer-to-training share, which any fitted model raises), as copies of training rows score, when some class's lies below 0.5 after the same correction (AUC + z·SE < 0.5; closer_than_human_classes), or when exact copies of training rows are clearly beyond the holdout's (copies: the Wilson 95% interval of the synthetic share lies wholly above the holdout's); below 0.5 without copying reads as the detector scoring below chance; with none of these, indistinguishable_lower_coverage when the holdout's coverage exceeds the synthetic set's by more than 1.96·√(se²_synthetic + se²_holdout), se² = sd² over draws + p(1 − p)/n_training; else indistinguishable (at this size); undetermined when the AUC is undefined. kinds lists every finding's kind (distinguishable and closer_than_human both when both are found), kind first; the text says each finding"),
        "baselines": .string("human_holdout: human rows against human rows (the floor); copy_of_training_rows: perfect fidelity, no privacy (training rows drawn without replacement, as many of each class as the holdout has); independent_marginals: as many rows as the holdout, each feature drawn independently (with replacement) from the holdout rows of the row's class (class-conditional marginals right, dependence between features gone)"),
    ]) { metric, _ in metric }

    /// The definitions with the detection test's for `detector`.
    static func definitions(detector: DetectionTest.Detector) -> [String: JSONValue] {
        guard detector == .gbdt else { return definitions }
        let gbdt = FidelityMetric.Definition.gradientBoostedDetection
        return definitions.merging([gbdt.key: .string(gbdt.text)]) { _, new in new }
    }

    /// The human set's entry: its rows and parts; with a given holdout
    /// (`--human-train`/`--human-holdout`) also `"split": "given"` and the
    /// holdout's file (`source` is then the training part's).
    var humanInputJSON: [String: JSONValue] {
        var o: [String: JSONValue] = ["source": .string(humanSource), "rows": .int(humanRows),
                                      "training_rows": .int(trainingRows), "holdout_rows": .int(holdoutRows)]
        if let humanHoldoutSource {
            o["split"] = .string("given")
            o["holdout_source"] = .string(humanHoldoutSource)
        }
        return o
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "metric_definitions_version": .int(Self.definitionsVersion),
            "verdict": .object(["kind": .string(verdict.kind.rawValue), "kinds": JSONValue(verdict.kinds.map(\.rawValue)),
                                 "text": .string(verdict.text),
                                 "distinguishable_classes": JSONValue(verdict.distinguishableClasses),
                                 "closer_than_human_classes": JSONValue(verdict.closerThanHumanClasses),
                                 "missing_classes": JSONValue(verdict.missingClasses), "copies": .bool(verdict.copies),
                                 "shifted_classes": JSONValue(verdict.shiftedClasses),
                                 "bonferroni_classes": .int(verdict.testedClasses)]),
            "matched_sizes": .object([
                "size": .int(matchedSizes.size), "draws": .int(matchedSizes.draws),
                "subsampled": .string(matchedSizes.subsampled.rawValue), "metrics": JSONValue(MatchedSizes.metricIDs),
            ]),
            "synthctl_version": .string(SynthVersion.current),
            "definitions": .object(Self.definitions(detector: parameters.detector)),
            "input": .object([
                "human": .object(humanInputJSON),
                "synthetic": .object(["source": .string(syntheticSource), "rows": .int(synthetic.rows)]),
                "features": .int(featureCount),
                "classes": JSONValue(classNames),
            ]),
            "parameters": .object([
                "k": .int(parameters.k), "ball_boundary": .string(parameters.boundary == .closed ? "closed (d ≤ r)" : "open (d < r, as prdc)"),
                "holdout_fraction": humanHoldoutSource == nil ? .double(parameters.holdoutFraction) : .null,
                "exact_mmd_rows": .int(parameters.exactMMDRows), "bandwidth_rows": .int(parameters.bandwidthRows),
                "kid_subsets": .int(parameters.kidSubsets), "kid_subset_size": .int(parameters.kidSubsetSize),
                "detection_folds": .int(parameters.detectionFolds), "near_copy_quantile": .double(parameters.nearCopyQuantile),
                "size_draws": .int(parameters.sizeDraws), "bootstrap_resamples": .int(parameters.bootstrapResamples),
                "seed": .int(Int(parameters.seed)), "rbf_bandwidth": .double(bandwidth),
            ]),
        ]
        o["feature_space"] = featureSpaceJSON
        o["synthetic"] = .object(comparisonJSON(synthetic, perFeature: true, utility: utility))
        if !baselines.isEmpty {
            o["baselines"] = .object(Dictionary(uniqueKeysWithValues: baselines.map { ($0.name, JSONValue.object(comparisonJSON($0, perFeature: false))) }))
        }
        if parameters.perClass { o["per_class"] = .array(perClass.map(classJSON)) }
        return .object(o)
    }

    /// The space the metrics measured in (``FeatureSpace``): its kind, and
    /// for the standardized space the rows it was fitted on and each
    /// column's mean and standard deviation in the column's units.
    var featureSpaceJSON: JSONValue {
        guard featureSpace.kind == .standardized else { return .object(featureSpace.json(columnNames: featureNames)) }
        var o = featureSpace.json(columnNames: featureNames)
        // Only with categorical columns, so that numeric-only reports keep their keys.
        if !categoricalColumns.isEmpty {
            o["one_hot"] = .object([
                "value": .double(Double(OneHotEncoding.scale)),
                "columns": .array(zip(categoricalColumns, trainingCategoryCounts).map { c, training in
                    .object(["column": .string(c.name), "categories": JSONValue(c.categories), "human_categories": .int(c.humanCategories),
                             "training_categories": .int(training)])
                }),
            ])
        }
        return .object(o)
    }

    /// A compared set's object: each metric of ``FidelityMetric/all`` at
    /// its key, beside what qualifies it (rows used, rounding bounds,
    /// intervals, thresholds). `utility` is the synthetic set's.
    func comparisonJSON(_ c: Comparison, perFeature: Bool, utility: UtilityMetrics? = nil) -> [String: JSONValue] {
        let m = c.marginals, st = c.statistics
        let correlation: [String: JSONValue] = [
            "max_pair": m.largestCorrelationPair.map { JSONValue([$0.0, $0.1]) } ?? .null,
            "pairs": .int(m.correlationPairsCompared),
        ]
        var marginals: [String: JSONValue] = ["correlation": .object(correlation)]
        if perFeature {
            marginals["per_feature"] = .object(["ks": JSONValue(m.ks), "wasserstein": JSONValue(m.wasserstein)])
        }
        var frechet: JSONValue = .null
        if let f = c.frechet {
            frechet = .object(["mean_term": .double(f.meanTerm), "covariance_term": .double(f.covarianceTerm),
                               "rounding_bound": .double(f.roundingBound)])
        } else if let problem = c.frechetProblem {
            frechet = .object(["problem": .string(problem)])
        }
        var mmd: [String: JSONValue] = [
            "rows_used": .object(["human": .int(c.mmdRows.reference), "synthetic": .int(c.mmdRows.candidate)]),
        ]
        mmd.set("mmd2_unbiased_rounding_bound", st.mmd2.map { _ in c.mmd2RoundingBound })
        var kid: [String: JSONValue] = ["subsets": .int(c.kid.subsets), "subset_size": .int(c.kid.subsetSize)]
        // The bounds stay where KID is within rounding: they are the reason.
        let computed = c.kid.mean.isFinite
        kid.set("rounding_bound", computed ? .defined(c.kid.roundingBound) : st.kidMean)
        if computed && c.kid.subsets > 1 { kid["std_rounding_bound"] = .double(c.kid.standardDeviationRoundingBound) }
        var detection: [String: JSONValue] = [
            "folds": .int(c.detection.folds),
            "held_out_rows": .object(["human": .int(c.detection.heldOut.positives), "synthetic": .int(c.detection.heldOut.negatives)]),
        ]
        // The whole-set error; the matched one replaces it (``setMatched``).
        detection.set("held_out_auc_standard_error", st.heldOutDetectionAUC.map { _ in c.detection.heldOut.standardError })
        let pr = c.privacy
        var privacy: [String: JSONValue] = [
            "median_dcr": .double(pr.medianSyntheticDCR), "median_holdout_dcr": .double(pr.medianHoldoutDCR),
            "near_copy_threshold": .double(pr.nearCopyThreshold),
        ]
        privacy.set("expected_closer_to_training_share", pr.expectedCloserToTrainingShare.map(MetricValue.defined) ?? st.closerToTrainingShare)
        privacy.set("tied_nearest_share", pr.tiedNearestShare.map(MetricValue.defined) ?? st.closerToTrainingShare)
        var o: [String: JSONValue] = [
            "rows": .int(c.rows),
            "marginals": .object(marginals),
            "mmd": .object(mmd),
            "kid": .object(kid),
            "frechet": frechet,
            "manifold": .object([:]),
            "detection": .object(detection),
            "privacy": .object(privacy),
        ]
        if let utility { o["utility"] = utilityJSON(utility) }
        for metric in FidelityMetric.all {
            // The Fréchet distance sits in its object, which is null when it was not attempted.
            if metric.key.count > 1, case .null? = o[metric.key[0]] { continue }
            if let value = metric.value(c, utility) { o.set(metric.key, value) }
            o.setDetails(of: c.computedMetrics[metric.id], beside: metric.key)
            o.setMatched(c.matched[metric.id], interval: c.intervals[metric.id], beside: metric.key)
        }
        // Matched over draws, MMD² and KID are bounded by their draws' largest rounding bound.
        if let b = c.matched[FidelityMetric.mmd2.id]?.roundingBound { o.set(["mmd", "mmd2_unbiased_rounding_bound"], .double(b)) }
        if let b = c.matched[FidelityMetric.kid.id]?.roundingBound { o.set(["kid", "rounding_bound"], .double(b)) }
        if let b = c.matched[FidelityMetric.kidStandardDeviation.id]?.roundingBound { o.set(["kid", "std_rounding_bound"], .double(b)) }
        // The all-rows mean and covariance terms stay beside it: the larger bound covers both.
        if let b = c.matched[FidelityMetric.frechet.id]?.roundingBound {
            o.set(["frechet", "rounding_bound"], .double(max(b, c.frechet?.roundingBound ?? 0)))
        }
        return o
    }

    /// The utility object's scores and per-class F1; the metrics
    /// (macro-F1, ratios) are set by ``comparisonJSON(_:perFeature:utility:)``.
    func utilityJSON(_ u: UtilityMetrics) -> JSONValue {
        func f1(_ c: ClassifierScores.Classification) -> JSONValue {
            // Keyed by class name: two names equal as Swift strings ("café" in
            // NFC and NFD) share a key, and the first is kept rather than trap.
            .object(Dictionary(classNames.indices.compactMap { i in
                c.perClassF1[i].map { (classNames[i], JSONValue.double($0)) }
            }) { first, _ in first })
        }
        return .object([
            "test_rows": .int(u.testRows),
            "tstr": .object(["accuracy": .double(u.trainOnSynthetic.accuracy), "per_class_f1": f1(u.trainOnSynthetic)]),
            "trtr": .object(["accuracy": .double(u.trainOnReal.accuracy), "per_class_f1": f1(u.trainOnReal)]),
        ])
    }

    /// A class's object: each per-class metric at its key (see
    /// ``FidelityMetric/PerClass``), beside its rows, problem and bounds.
    func classJSON(_ c: ClassComparison) -> JSONValue {
        var o: [String: JSONValue] = [
            "class": .string(classNames[c.classIndex]), "human_rows": .int(c.humanRows), "synthetic_rows": .int(c.syntheticRows),
        ]
        if let problem = c.problem { o["problem"] = .string(problem) }
        if let st = c.statistics, let bound = c.mmd2RoundingBound { o.set("mmd2_unbiased_rounding_bound", st.mmd2.map { _ in bound }) }
        if let f = c.frechet { o["frechet_rounding_bound"] = .double(f.roundingBound) } else if let p = c.frechetProblem { o["frechet_problem"] = .string(p) }
        if let auc = c.detection?.heldOut, auc.value.isFinite {
            o["detection_held_out_auc_ci95"] = ConfidenceInterval.normal(auc.value, standardError: auc.standardError).json
        }
        if let unreliable = c.detectionAUCIsUnreliable { o["detection_auc_unreliable"] = .bool(unreliable) }
        for metric in FidelityMetric.all {
            guard case .computed(let key, _, _, _, _) = metric.perClass, let value = metric.classValue(c, utility: utility) else { continue }
            o.set(key, value)
            o.setDetails(of: c.computedMetrics[metric.id], beside: key)
            o.setMatched(c.matchedSizes?.synthetic[metric.id], interval: nil, beside: key)
        }
        if let m = c.matchedSizes { o.merge(Self.classMatchedJSON(m)) { _, new in new } }
        return .object(o)
    }

    /// A class's `"matched_sizes"` (size, draws, the side subsampled, or
    /// the problem) and its `"human_holdout"` baseline: the holdout rows'
    /// precision, recall, density and coverage at the same size, at the
    /// keys the class's own have (``ClassMatchedSizes``).
    static func classMatchedJSON(_ m: ClassMatchedSizes) -> [String: JSONValue] {
        var matched: [String: JSONValue] = [
            "size": m.size.map { .int($0) } ?? .null, "draws": .int(m.draws),
            "subsampled": m.subsampled.map { .string($0.rawValue) } ?? .null,
        ]
        if let problem = m.problem {
            matched["problem"] = .string(problem)
            // Every null number has its reason beside it, as elsewhere in the report.
            var undefined = [String: JSONValue]()
            if m.size == nil { undefined["size"] = .string(problem) }
            if m.subsampled == nil { undefined["subsampled"] = .string(problem) }
            if !undefined.isEmpty { matched["undefined"] = .object(undefined) }
        }
        var o: [String: JSONValue] = ["matched_sizes": .object(matched)]
        guard !m.holdout.isEmpty else { return o }
        var holdout: [String: JSONValue] = ["rows": .int(m.holdoutRows)]
        for metric in FidelityMetric.all {
            guard case .computed(let key, _, _, _, _) = metric.perClass, let drawn = m.holdout[metric.id] else { continue }
            holdout.set(key, .double(drawn.mean))
            holdout.setMatched(drawn, interval: nil, beside: key)
        }
        o["human_holdout"] = .object(holdout)
        return o
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Writes a matched metric's spread over draws (`_sd`, with more than
    /// one draw) and a metric's 95% interval (`_ci95`, `[lower, upper]`)
    /// beside its value at `key`; the held-out detection AUC's matched
    /// DeLong SE replaces the whole-set one (`held_out_auc_standard_error`).
    mutating func setMatched(_ drawn: MatchedSizes.Drawn?, interval: ConfidenceInterval?, beside key: [String]) {
        guard let name = key.last else { return }
        let parent = Array(key.dropLast())
        if let drawn, drawn.values.count > 1 { set(parent + [name + "_sd"], .double(drawn.standardDeviation)) }
        if let se = drawn?.standardError { set(parent + [name + "_standard_error"], .double(se)) }
        if let interval { set(parent + [name + "_ci95"], interval.json) }
    }
}
