import Synth

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
        "baselines": .string("human_holdout: human rows against human rows (the floor); copy_of_training_rows: perfect fidelity, no privacy; independent_marginals: as many rows as the holdout, each feature drawn independently (with replacement) from the holdout rows of the row's class (class-conditional marginals right, dependence between features gone)"),
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
                "features": .int(features),
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
        let m = c.marginals
        var marginals: [String: JSONValue] = [
            "mean_ks": .double(m.meanKS), "max_ks": .double(m.largestKS), "mean_wasserstein": .double(m.meanWasserstein),
            "label_total_variation": .double(m.labelTotalVariation),
            "correlation": .object([
                "mean_abs_difference": .double(m.meanAbsoluteCorrelationDifference),
                "max_abs_difference": .double(m.largestCorrelationDifference),
                "max_pair": m.largestCorrelationPair.map { JSONValue([$0.0, $0.1]) } ?? .null,
                "pairs": .int(m.correlationPairsCompared),
            ]),
        ]
        if perFeature {
            marginals["per_feature"] = .object(["ks": JSONValue(m.ks), "wasserstein": JSONValue(m.wasserstein)])
        }
        var frechet: JSONValue = .null
        if let f = c.frechet {
            frechet = .object(["distance": .double(f.distance), "mean_term": .double(f.meanTerm), "covariance_term": .double(f.covarianceTerm),
                               "rounding_bound": .double(f.roundingBound)])
        } else if let problem = c.frechetProblem {
            frechet = .object(["distance": .null, "problem": .string(problem)])
        }
        let ci = c.detection.auc.interval()
        let pr = c.privacy
        return [
            "rows": .int(c.rows),
            "marginals": .object(marginals),
            "mmd": .object([
                "mmd2_unbiased": .double(c.mmd2), "mmd2_unbiased_rounding_bound": .double(c.mmd2RoundingBound),
                "rows_used": .object(["human": .int(c.mmdRows.reference), "synthetic": .int(c.mmdRows.candidate)]),
                "mmd2_linear": .double(c.mmd2Linear),
            ]),
            "kid": .object(["mean": .double(c.kid.mean), "std": .double(c.kid.standardDeviation),
                            "subsets": .int(c.kid.subsets), "subset_size": .int(c.kid.subsetSize),
                            "rounding_bound": .double(c.kid.roundingBound)]),
            "frechet": frechet,
            "manifold": manifoldJSON(c.manifold),
            "detection": .object([
                "auc": .double(c.detection.auc.value), "auc_standard_error": .double(c.detection.auc.standardError),
                "auc_ci95": JSONValue([ci.lower, ci.upper]), "sdmetrics_score": .double(c.detection.sdmetricsScore),
                "folds": .int(c.detection.folds),
            ]),
            "privacy": .object([
                "median_dcr": .double(pr.medianSyntheticDCR), "median_holdout_dcr": .double(pr.medianHoldoutDCR),
                "median_dcr_ratio": .double(pr.medianRatio), "exact_copy_share": .double(pr.exactCopyShare),
                "near_copy_share": .double(pr.nearCopyShare), "near_copy_threshold": .double(pr.nearCopyThreshold),
                "closer_to_training_share": pr.closerToTrainingShare.map(JSONValue.double) ?? .null,
                "expected_closer_to_training_share": pr.expectedCloserToTrainingShare.map(JSONValue.double) ?? .null,
                "tied_nearest_share": pr.tiedNearestShare.map(JSONValue.double) ?? .null,
            ]),
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
            "accuracy_ratio": .double(u.accuracyRatio),
            "macro_f1_ratio": .double(u.macroF1Ratio),
        ])
    }

    func classJSON(_ c: ClassComparison) -> JSONValue {
        var o: [String: JSONValue] = [
            "class": .string(classNames[c.classIndex]), "human_rows": .int(c.humanRows), "synthetic_rows": .int(c.syntheticRows),
        ]
        if let problem = c.problem { o["problem"] = .string(problem) }
        if let m = c.manifold { o["manifold"] = manifoldJSON(m) }
        if let ks = c.meanKS { o["mean_ks"] = .double(ks) }
        if let w = c.meanWasserstein { o["mean_wasserstein"] = .double(w) }
        if let r = c.meanAbsoluteCorrelationDifference { o["mean_abs_correlation_difference"] = .double(r) }
        if let e = c.exactCopyShare { o["exact_copy_share"] = .double(e) }
        if let mmd = c.mmd2 { o["mmd2_unbiased"] = .double(mmd) }
        if let bound = c.mmd2RoundingBound { o["mmd2_unbiased_rounding_bound"] = .double(bound) }
        if let f = c.frechet {
            o["frechet"] = .double(f.distance)
            o["frechet_rounding_bound"] = .double(f.roundingBound)
        } else if let p = c.frechetProblem { o["frechet_problem"] = .string(p) }
        if let d = c.detection { o["detection_auc"] = .double(d.auc.value) }
        if let r = c.medianDCRRatio { o["median_dcr_ratio"] = .double(r) }
        if let f = utility.trainOnSynthetic.perClassF1[c.classIndex] { o["tstr_f1"] = .double(f) }
        if let f = utility.trainOnReal.perClassF1[c.classIndex] { o["trtr_f1"] = .double(f) }
        return .object(o)
    }
}
