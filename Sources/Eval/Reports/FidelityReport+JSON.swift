import Synth
import SynthctlCore

extension FidelityReport {
    /// What each number means and which way is better, stamped into every
    /// report with ``definitionsVersion``.
    static let definitions: [String: JSONValue] = [
        "ks": .string("Kolmogorov–Smirnov statistic per feature, sup|F_human − F_synthetic| (SciPy ks_2samp); 0 best; SDMetrics KSComplement = 1 − ks"),
        "wasserstein": .string("Wasserstein-1 per feature from the sorted samples (SciPy wasserstein_distance), in feature units; 0 best"),
        "label_total_variation": .string("½ Σ|p_human(c) − p_synthetic(c)| over classes; 0 best; SDMetrics TVComplement = 1 − tv"),
        "correlation": .string("|ρ_human − ρ_synthetic| over feature pairs, Pearson, constant features left out; 0 best"),
        "mmd2_unbiased": .string("unbiased MMD² (Gretton et al. 2012), RBF kernel exp(−d²/(2σ²)), σ = median pooled distance; 0 best, can be slightly negative"),
        "mmd2_linear": .string("linear-time MMD² estimator (Gretton et al. 2012, lemma 14) on all rows in seeded order; same kernel; noisier"),
        "kid": .string("MMD² with the kernel (xᵀy/d + 1)³, mean ± sd over seeded subsets (Bińkowski et al. 2018); 0 best"),
        "frechet": .string("‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr(Σ₁^½ Σ₂ Σ₁^½)^½ in Double by symmetric eigendecomposition, covariances with n − 1; 0 best; biased upward at finite n"),
        "manifold": .string("precision, recall, density, coverage (Naeem et al. 2020) with k-NN balls of the human training rows and of the synthetic rows; authenticity = share of synthetic rows farther from their nearest human row x* than x*'s nearest human neighbour (Alaa et al. 2022)"),
        "detection": .string("logistic regression told human (1) from synthetic (0), stratified seeded k-fold; auc: 0.5 indistinguishable, 1 separable (synthcity convention); sdmetrics_score = 1 − (max(auc, 0.5)·2 − 1): 1 indistinguishable (SDMetrics convention)"),
        "utility": .string("logistic regression trained on synthetic (TSTR) or human training rows (TRTR), tested on the human holdout; ratios TSTR/TRTR, 1 best"),
        "privacy": .string("distance to the closest human training row (DCR) for synthetic rows against the same for human holdout rows; median ratio below 1 and exact or near copies mean memorization; closer_to_training_share = share of synthetic rows whose nearest human row is a training row rather than a holdout row, a row as near to t training as to h holdout rows counting t/(t + h) (tied_nearest_share says how many tied), expected n_train/(n_train + n_holdout) when nothing is copied"),
        "rounding_bound": .string("beside MMD², KID and the Fréchet distance: the largest change that rounding in machine-dependent steps (sgemm products, LAPACK eigensolvers) can make to the number, by error analysis; two machines agree within the sum of their bounds. Every other number is computed in a fixed order or decided exactly and is the same on every machine"),
        "baselines": .string("human_holdout: human rows against human rows (the floor); copy_of_training_rows: perfect fidelity, no privacy (training rows drawn without replacement, as many of each class as the holdout has); independent_marginals: as many rows as the holdout, each feature drawn independently (with replacement) from the holdout rows of the row's class (class-conditional marginals right, dependence between features gone)"),
    ]

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "metric_definitions_version": .int(Self.definitionsVersion),
            "synthctl_version": .string(SynthVersion.current),
            "definitions": .object(Self.definitions),
            "input": .object([
                "human": .object(["source": .string(humanSource), "rows": .int(humanRows),
                                  "training_rows": .int(trainingRows), "holdout_rows": .int(holdoutRows)]),
                "synthetic": .object(["source": .string(syntheticSource), "rows": .int(synthetic.rows)]),
                "features": .int(featureCount),
                "classes": JSONValue(classNames),
            ]),
            "parameters": .object([
                "k": .int(parameters.k), "ball_boundary": .string(parameters.boundary == .closed ? "closed (d ≤ r)" : "open (d < r, as prdc)"),
                "holdout_fraction": .double(parameters.holdoutFraction),
                "exact_mmd_rows": .int(parameters.exactMMDRows), "bandwidth_rows": .int(parameters.bandwidthRows),
                "kid_subsets": .int(parameters.kidSubsets), "kid_subset_size": .int(parameters.kidSubsetSize),
                "detection_folds": .int(parameters.detectionFolds), "near_copy_quantile": .double(parameters.nearCopyQuantile),
                "seed": .int(Int(parameters.seed)), "rbf_bandwidth": .double(bandwidth),
            ]),
        ]
        var main = comparisonJSON(synthetic, perFeature: true)
        main["utility"] = utilityJSON
        o["synthetic"] = .object(main)
        if !baselines.isEmpty {
            o["baselines"] = .object(Dictionary(uniqueKeysWithValues: baselines.map { ($0.name, JSONValue.object(comparisonJSON($0, perFeature: false))) }))
        }
        if parameters.perClass { o["per_class"] = .array(perClass.map(classJSON)) }
        return .object(o)
    }

    func comparisonJSON(_ c: Comparison, perFeature: Bool) -> [String: JSONValue] {
        let m = c.marginals, st = c.statistics
        var correlation: [String: JSONValue] = [
            "max_pair": m.largestCorrelationPair.map { JSONValue([$0.0, $0.1]) } ?? .null,
            "pairs": .int(m.correlationPairsCompared),
        ]
        correlation.set("mean_abs_difference", st.meanCorrelationDifference)
        correlation.set("max_abs_difference", st.largestCorrelationDifference)
        var marginals: [String: JSONValue] = [
            "label_total_variation": .double(m.labelTotalVariation),
            "correlation": .object(correlation),
        ]
        marginals.set("mean_ks", st.meanKS)
        marginals.set("max_ks", st.largestKS)
        marginals.set("mean_wasserstein", st.meanWasserstein)
        if perFeature {
            marginals["per_feature"] = .object(["ks": JSONValue(m.ks), "wasserstein": JSONValue(m.wasserstein)])
        }
        var frechet: JSONValue = .null
        if let f = c.frechet {
            frechet = .object(["distance": .double(f.distance), "mean_term": .double(f.meanTerm), "covariance_term": .double(f.covarianceTerm),
                               "rounding_bound": .double(f.roundingBound)])
        } else if let problem = c.frechetProblem {
            var o: [String: JSONValue] = ["problem": .string(problem)]
            o.set("distance", st.frechet)
            frechet = .object(o)
        }
        var mmd: [String: JSONValue] = [
            "rows_used": .object(["human": .int(c.mmdRows.reference), "synthetic": .int(c.mmdRows.candidate)]),
        ]
        mmd.set("mmd2_unbiased", st.mmd2)
        mmd.set("mmd2_unbiased_rounding_bound", st.mmd2.map { _ in c.mmd2RoundingBound })
        mmd.set("mmd2_linear", st.mmd2Linear)
        var kid: [String: JSONValue] = ["subsets": .int(c.kid.subsets), "subset_size": .int(c.kid.subsetSize)]
        // The bounds stay where KID is within rounding: they are the reason.
        let computed = c.kid.mean.isFinite
        kid.set("rounding_bound", computed ? .defined(c.kid.roundingBound) : st.kidMean)
        kid.set("mean", st.kidMean)
        kid.set("std", st.kidStandardDeviation)
        if computed && c.kid.subsets > 1 { kid["std_rounding_bound"] = .double(c.kid.standardDeviationRoundingBound) }
        let ci = c.detection.auc.interval()
        var detection: [String: JSONValue] = [
            "auc_ci95": st.detectionAUC.value == nil ? .null : JSONValue([ci.lower, ci.upper]),
            "folds": .int(c.detection.folds),
        ]
        detection.set("auc", st.detectionAUC)
        detection.set("auc_standard_error", st.detectionAUC.map { _ in c.detection.auc.standardError })
        detection.set("sdmetrics_score", st.sdmetricsScore)
        let pr = c.privacy
        var privacy: [String: JSONValue] = [
            "median_dcr": .double(pr.medianSyntheticDCR), "median_holdout_dcr": .double(pr.medianHoldoutDCR),
            "exact_copy_share": .double(pr.exactCopyShare),
            "near_copy_share": .double(pr.nearCopyShare), "near_copy_threshold": .double(pr.nearCopyThreshold),
        ]
        privacy.set("median_dcr_ratio", st.medianDCRRatio)
        privacy.set("closer_to_training_share", st.closerToTrainingShare)
        privacy.set("expected_closer_to_training_share", pr.expectedCloserToTrainingShare.map(MetricValue.defined) ?? st.closerToTrainingShare)
        privacy.set("tied_nearest_share", pr.tiedNearestShare.map(MetricValue.defined) ?? st.closerToTrainingShare)
        return [
            "rows": .int(c.rows),
            "marginals": .object(marginals),
            "mmd": .object(mmd),
            "kid": .object(kid),
            "frechet": frechet,
            "manifold": manifoldJSON(c.manifold),
            "detection": .object(detection),
            "privacy": .object(privacy),
        ]
    }

    func manifoldJSON(_ m: ManifoldMetrics) -> JSONValue {
        .object(["precision": .double(m.precision), "recall": .double(m.recall), "density": .double(m.density),
                 "coverage": .double(m.coverage), "authenticity": .double(m.authenticity)])
    }

    var utilityJSON: JSONValue {
        let u = utility
        func f1(_ c: ClassifierScores.Classification) -> JSONValue {
            // Keyed by class name: two names equal as Swift strings ("café" in
            // NFC and NFD) share a key, and the first is kept rather than trap.
            .object(Dictionary(classNames.indices.compactMap { i in
                c.perClassF1[i].map { (classNames[i], JSONValue.double($0)) }
            }) { first, _ in first })
        }
        return .object([
            "test_rows": .int(u.testRows),
            "tstr": .object(["accuracy": .double(u.trainOnSynthetic.accuracy), "macro_f1": .double(u.trainOnSynthetic.macroF1),
                             "per_class_f1": f1(u.trainOnSynthetic)]),
            "trtr": .object(["accuracy": .double(u.trainOnReal.accuracy), "macro_f1": .double(u.trainOnReal.macroF1),
                             "per_class_f1": f1(u.trainOnReal)]),
        ].merging({
            var ratios = [String: JSONValue]()
            ratios.set("accuracy_ratio", u.accuracyRatio)
            ratios.set("macro_f1_ratio", u.macroF1Ratio)
            return ratios
        }()) { $1 })
    }

    func classJSON(_ c: ClassComparison) -> JSONValue {
        var o: [String: JSONValue] = [
            "class": .string(classNames[c.classIndex]), "human_rows": .int(c.humanRows), "synthetic_rows": .int(c.syntheticRows),
        ]
        if let problem = c.problem { o["problem"] = .string(problem) }
        if let m = c.manifold { o["manifold"] = manifoldJSON(m) }
        if let e = c.exactCopyShare { o["exact_copy_share"] = .double(e) }
        if let st = c.statistics, let bound = c.mmd2RoundingBound { o.set("mmd2_unbiased_rounding_bound", st.mmd2.map { _ in bound }) }
        if let st = c.statistics {
            o.set("mean_ks", st.meanKS)
            o.set("mean_wasserstein", st.meanWasserstein)
            o.set("mean_abs_correlation_difference", st.meanCorrelationDifference)
            o.set("mmd2_unbiased", st.mmd2)
            o.set("frechet", st.frechet)
            o.set("detection_auc", st.detectionAUC)
            o.set("median_dcr_ratio", st.medianDCRRatio)
        }
        if let f = c.frechet { o["frechet_rounding_bound"] = .double(f.roundingBound) } else if let p = c.frechetProblem { o["frechet_problem"] = .string(p) }
        if let f = utility.trainOnSynthetic.perClassF1[c.classIndex] { o["tstr_f1"] = .double(f) }
        if let f = utility.trainOnReal.perClassF1[c.classIndex] { o["trtr_f1"] = .double(f) }
        return .object(o)
    }
}
