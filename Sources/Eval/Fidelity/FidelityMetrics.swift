/// The declarations of the fidelity metrics and their registry. Each
/// metric's computation is in its own type; this file says what each number
/// is called, where it goes and how it is gated (see ``FidelityMetric``).
extension FidelityMetric {
    /// Every fidelity metric, in the order of the summary's and the
    /// Markdown report's rows. A metric is reported only if it is here.
    public static let all: [FidelityMetric] = [
        meanKS, largestKS, meanWasserstein, labelTotalVariation, meanCorrelationDifference, largestCorrelationDifference,
        frechet, mmd2, mmd2Linear, kid, kidStandardDeviation,
        precision, recall, density, coverage, authenticity,
        detectionAUC, heldOutDetectionAUC, sdmetricsScore,
        medianDCRRatio, exactCopyShare, nearCopyShare, closerToTrainingShare,
        tstrF1, trtrF1, accuracyRatio, macroF1Ratio,
        boundaryAdherence, integrality, categoryCoverage, unseenCategoryShare,
        columnShapes, columnPairTrends,
    ]
}

extension FidelityMetric.Definition {
    static let ks = Self(key: "ks", text: "Kolmogorov–Smirnov statistic per feature, sup|F_human − F_synthetic| (SciPy ks_2samp); 0 best; SDMetrics KSComplement = 1 − ks")
    static let wasserstein = Self(key: "wasserstein", text: "Wasserstein-1 per feature from the sorted samples (SciPy wasserstein_distance), in the units of the feature space (standard deviations of the human training rows when standardized); 0 best")
    static let labelTotalVariation = Self(key: "label_total_variation", text: "½ Σ|p_human(c) − p_synthetic(c)| over classes; 0 best; SDMetrics TVComplement = 1 − tv")
    static let correlation = Self(key: "correlation", text: "|ρ_human − ρ_synthetic| over feature pairs, Pearson, constant features left out; 0 best")
    static let mmd2Unbiased = Self(key: "mmd2_unbiased", text: "unbiased MMD² (Gretton et al. 2012), RBF kernel exp(−d²/(2σ²)), σ = median pooled distance; 0 best, can be slightly negative")
    static let mmd2Linear = Self(key: "mmd2_linear", text: "linear-time MMD² estimator (Gretton et al. 2012, lemma 14) on all rows in seeded order; same kernel; noisier")
    static let kid = Self(key: "kid", text: "MMD² with the kernel (xᵀy/d + 1)³, mean ± sd over seeded subsets (Bińkowski et al. 2018); 0 best")
    static let frechet = Self(key: "frechet", text: "‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr(Σ₁^½ Σ₂ Σ₁^½)^½ in Double by symmetric eigendecomposition, covariances with n − 1; 0 best; biased upward at finite n")
    static let manifold = Self(key: "manifold", text: "precision, recall, density, coverage (Naeem et al. 2020) with k-NN balls of the human training rows and of the synthetic rows; authenticity = share of synthetic rows farther from their nearest human row x* than x*'s nearest human neighbour (Alaa et al. 2022)")
    static let detection = Self(key: "detection", text: "logistic regression told human (1) from synthetic (0), stratified seeded k-fold; auc: the out-of-fold scores’ ROC AUC over all rows, 0.5 indistinguishable, 1 separable (synthcity convention), without an interval, since the folds’ models learn the same chance differences between the two samples and DeLong’s standard error on their pooled scores is too small; held_out_auc: the same detector trained on one half of the rows (stratified by side and class, seeded) and scored on the other (the classifier two-sample test, Lopez-Paz & Oquab 2017), with its DeLong standard error and interval, which are exact there (about √2 wider), and what the verdict tests; sdmetrics_score = 1 − (max(auc, 0.5)·2 − 1): 1 indistinguishable (SDMetrics convention)")
    /// The detection definition when the detector is ``DetectionTest/Detector/gbdt``
    /// (``detection`` is the logistic one's).
    static let gradientBoostedDetection = Self(key: "detection", text: "gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier defaults: at most 255 bins per feature, 31 leaves, learning rate 0.1, up to 100 iterations, early stopping on a 10% validation split above 10,000 rows) told human (1) from synthetic (0), stratified seeded k-fold; auc: the out-of-fold scores’ ROC AUC over all rows, 0.5 indistinguishable, 1 separable (synthcity convention), without an interval, since the folds’ models learn the same chance differences between the two samples and DeLong’s standard error on their pooled scores is too small; held_out_auc: the same detector trained on one half of the rows (stratified by side and class, seeded) and scored on the other (the classifier two-sample test, Lopez-Paz & Oquab 2017), with its DeLong standard error and interval, which are exact there (about √2 wider), and what the verdict tests; sdmetrics_score = 1 − (max(auc, 0.5)·2 − 1): 1 indistinguishable (SDMetrics convention)")
    static let utility = Self(key: "utility", text: "logistic regression trained on synthetic (TSTR) or human training rows (TRTR), tested on the human holdout; ratios TSTR/TRTR, 1 best")
    static let privacy = Self(key: "privacy", text: "distance to the closest human training row (DCR) for synthetic rows against the same for human holdout rows; median ratio below 1 and exact or near copies mean memorization; closer_to_training_share = share of synthetic rows whose nearest human row is a training row rather than a holdout row, a row as near to t training as to h holdout rows counting t/(t + h) (tied_nearest_share says how many tied), expected n_train/(n_train + n_holdout) when nothing is copied")
}

// Marginals (``MarginalMetrics``).
extension FidelityMetric {
    public static let meanKS = FidelityMetric(
        name: "mean KS", heading: "mean KS ↓", direction: .lowerIsBetter, key: ["marginals", "mean_ks"], definition: .ks,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["mean_ks"], heading: "mean KS", column: 5, needs: .marginals) { c, _ in c.statistics?.meanKS },
        gates: [Gate("max-mean-ks", .atMost, subject: "the mean KS statistic", limits: 0...1)],
        value: { c, _ in c.statistics.meanKS })

    public static let largestKS = FidelityMetric(
        name: "max KS", direction: .lowerIsBetter, key: ["marginals", "max_ks"], definition: .ks,
        perClass: .notComputed(because: "the per-class entry keeps the mean over features; the largest is a whole-set diagnosis"),
        value: { c, _ in c.statistics.largestKS })

    public static let meanWasserstein = FidelityMetric(
        name: "mean Wasserstein", direction: .lowerIsBetter, key: ["marginals", "mean_wasserstein"], definition: .wasserstein,
        perClass: .computed(key: ["mean_wasserstein"], heading: "mean Wasserstein", column: nil, needs: .marginals) { c, _ in
            c.statistics?.meanWasserstein
        },
        value: { c, _ in c.statistics.meanWasserstein })

    public static let labelTotalVariation = FidelityMetric(
        name: "label TV", heading: "label TV ↓", direction: .lowerIsBetter, key: ["marginals", "label_total_variation"],
        definition: .labelTotalVariation, tables: [.summary],
        perClass: .notComputed(because: "within one class every row has the same label: the distance is 0 by construction"),
        value: { c, _ in .defined(c.marginals.labelTotalVariation) })

    public static let meanCorrelationDifference = FidelityMetric(
        name: "mean |Δ correlation|", heading: "mean |Δ correlation| ↓", direction: .lowerIsBetter,
        key: ["marginals", "correlation", "mean_abs_difference"], definition: .correlation, tables: [.summary],
        perClass: .computed(key: ["mean_abs_correlation_difference"], heading: "mean |Δ correlation|", column: nil, needs: .marginals) { c, _ in
            c.statistics?.meanCorrelationDifference
        },
        value: { c, _ in c.statistics.meanCorrelationDifference })

    public static let largestCorrelationDifference = FidelityMetric(
        name: "max |Δ correlation|", direction: .lowerIsBetter, key: ["marginals", "correlation", "max_abs_difference"],
        definition: .correlation,
        perClass: .notComputed(because: "the per-class entry keeps the mean over pairs; the largest is a whole-set diagnosis"),
        value: { c, _ in c.statistics.largestCorrelationDifference })
}

// Joint distances (``FrechetDistance``, ``KernelMetrics``).
extension FidelityMetric {
    public static let frechet = FidelityMetric(
        name: "Fréchet", heading: "Fréchet ↓", direction: .lowerIsBetter, key: ["frechet", "distance"], definition: .frechet,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["frechet"], heading: "Fréchet", column: 6, needs: .frechet) { c, _ in c.statistics?.frechet },
        gates: [Gate("max-frechet", .atMost, subject: "the Fréchet distance")],
        value: { c, _ in c.statistics.frechet })

    public static let mmd2 = FidelityMetric(
        name: "MMD²", heading: "MMD² ↓", direction: .lowerIsBetter, key: ["mmd", "mmd2_unbiased"], definition: .mmd2Unbiased,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["mmd2_unbiased"], heading: "MMD²", column: nil, needs: .kernel) { c, _ in c.statistics?.mmd2 },
        gates: [Gate("max-mmd", .atMost, subject: "the unbiased MMD²")],
        value: { c, _ in c.statistics.mmd2 })

    public static let mmd2Linear = FidelityMetric(
        name: "linear-time MMD²", direction: .lowerIsBetter, key: ["mmd", "mmd2_linear"], definition: .mmd2Linear,
        perClass: .notComputed(because: "per class the exact unbiased MMD² is affordable; the linear-time estimator is the noisier one, kept for sets too large for it"),
        value: { c, _ in c.statistics.mmd2Linear })

    public static let kid = FidelityMetric(
        name: "KID", heading: "KID ↓", direction: .lowerIsBetter, key: ["kid", "mean"], definition: .kid, tables: [.summary],
        perClass: .notComputed(because: "its seeded subsets of up to 1000 rows per set would be repeated for every class; MMD² is the per-class kernel statistic"),
        value: { c, _ in c.statistics.kidMean })

    public static let kidStandardDeviation = FidelityMetric(
        name: "KID standard deviation", direction: .lowerIsBetter, key: ["kid", "std"], definition: .kid,
        perClass: .notComputed(because: "KID is not computed per class"),
        value: { c, _ in c.statistics.kidStandardDeviation })
}

// The k-NN manifold (``ManifoldMetrics``).
extension FidelityMetric {
    public static let precision = FidelityMetric(
        name: "precision", heading: "precision ↑", direction: .higherIsBetter, key: ["manifold", "precision"], definition: .manifold,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["manifold", "precision"], heading: "precision", column: 1, needs: .manifold) { c, _ in
            c.manifold.map { .defined($0.precision) }
        },
        gates: [Gate("min-precision", .atLeast, subject: "precision", limits: 0...1)],
        value: { c, _ in .defined(c.manifold.precision) })

    public static let recall = FidelityMetric(
        name: "recall", heading: "recall ↑", direction: .higherIsBetter, key: ["manifold", "recall"], definition: .manifold,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["manifold", "recall"], heading: "recall", column: 2, needs: .manifold) { c, _ in
            c.manifold.map { .defined($0.recall) }
        },
        gates: [Gate("min-recall", .atLeast, subject: "recall", limits: 0...1)],
        value: { c, _ in .defined(c.manifold.recall) })

    public static let density = FidelityMetric(
        name: "density", heading: "density (≈1)", direction: .closestTo(1), key: ["manifold", "density"], definition: .manifold,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["manifold", "density"], heading: "density", column: 3, needs: .manifold) { c, _ in
            c.manifold.map { .defined($0.density) }
        },
        value: { c, _ in .defined(c.manifold.density) })

    public static let coverage = FidelityMetric(
        name: "coverage", heading: "coverage ↑", direction: .higherIsBetter, key: ["manifold", "coverage"], definition: .manifold,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["manifold", "coverage"], heading: "coverage", column: 4, needs: .manifold) { c, _ in
            c.manifold.map { .defined($0.coverage) }
        },
        gates: [Gate("min-coverage", .atLeast, subject: "coverage", limits: 0...1),
                Gate("min-class-coverage", .atLeast, scope: .worstClass, subject: "coverage", limits: 0...1)],
        value: { c, _ in .defined(c.manifold.coverage) })

    public static let authenticity = FidelityMetric(
        name: "authenticity", direction: .higherIsBetter, key: ["manifold", "authenticity"], definition: .manifold, tables: [.summary],
        perClass: .computed(key: ["manifold", "authenticity"], heading: "authenticity", column: nil, needs: .manifold) { c, _ in
            c.manifold.map { .defined($0.authenticity) }
        },
        value: { c, _ in .defined(c.manifold.authenticity) })
}

// Detection (``DetectionTest``).
extension FidelityMetric {
    public static let detectionAUC = FidelityMetric(
        name: "detection AUC", heading: "detection AUC (0.5 best)", direction: .closestTo(0.5), key: ["detection", "auc"],
        definition: .detection, tables: [.summary, .markdown],
        perClass: .computed(key: ["detection_auc"], heading: "detection AUC", column: 7, needs: .detection) { c, _ in
            c.statistics?.detectionAUC
        },
        gates: [Gate("max-detection-auc", .atMost, subject: "the detection AUC", limits: 0.5...1)],
        value: { c, _ in c.statistics.detectionAUC })

    /// The held-out half's AUC (``DetectionTest/heldOut``): the one with an
    /// exact interval, which the verdict tests.
    public static let heldOutDetectionAUC = FidelityMetric(
        name: "held-out detection AUC", heading: "held-out detection AUC", direction: .closestTo(0.5), key: ["detection", "held_out_auc"],
        definition: .detection, tables: [.summary, .markdown],
        perClass: .computed(key: ["detection_held_out_auc"], heading: "held-out detection AUC", column: nil, needs: .detection) { c, _ in
            c.statistics?.heldOutDetectionAUC
        },
        value: { c, _ in c.statistics.heldOutDetectionAUC })

    public static let sdmetricsScore = FidelityMetric(
        name: "SDMetrics detection score", direction: .higherIsBetter, key: ["detection", "sdmetrics_score"], definition: .detection,
        perClass: .notComputed(because: "a rescaling of the detection AUC, which the per-class entry has"),
        value: { c, _ in c.statistics.sdmetricsScore })
}

// Privacy (``PrivacyMetrics``).
extension FidelityMetric {
    public static let medianDCRRatio = FidelityMetric(
        name: "median DCR ratio", direction: .closestTo(1), key: ["privacy", "median_dcr_ratio"], definition: .privacy,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["median_dcr_ratio"], heading: "DCR ratio", column: 8, needs: .privacy) { c, _ in
            c.statistics?.medianDCRRatio
        },
        gates: [Gate("min-dcr-ratio", .atLeast, subject: "the median DCR ratio")],
        value: { c, _ in c.statistics.medianDCRRatio })

    public static let exactCopyShare = FidelityMetric(
        name: "exact copies", direction: .lowerIsBetter, key: ["privacy", "exact_copy_share"], definition: .privacy,
        tables: [.summary, .markdown],
        perClass: .computed(key: ["exact_copy_share"], heading: "exact copies", column: nil, needs: .privacy) { c, _ in
            c.exactCopyShare.map { .defined($0) }
        },
        gates: [Gate("max-exact-copies", .atMost, subject: "the exact-copy share", limits: 0...1)],
        value: { c, _ in .defined(c.privacy.exactCopyShare) })

    public static let nearCopyShare = FidelityMetric(
        name: "near copies", direction: .lowerIsBetter, key: ["privacy", "near_copy_share"], definition: .privacy,
        perClass: .notComputed(because: "its threshold is a quantile of all holdout rows' distances, which a class's few holdout rows would make noisy"),
        value: { c, _ in .defined(c.privacy.nearCopyShare) })

    public static let closerToTrainingShare = FidelityMetric(
        name: "closer-to-training share", direction: .lowerIsBetter, key: ["privacy", "closer_to_training_share"],
        definition: .privacy,
        perClass: .notComputed(because: "it needs every synthetic row's distance to the holdout, measured for the whole set only"),
        value: { c, _ in c.statistics.closerToTrainingShare })
}

// Utility (``UtilityMetrics``): the synthetic set only; baselines are not trained on.
extension FidelityMetric {
    public static let tstrF1 = FidelityMetric(
        name: "TSTR macro-F1", direction: .higherIsBetter, key: ["utility", "tstr", "macro_f1"], definition: .utility,
        perClass: .computed(key: ["tstr_f1"], heading: "TSTR F1", column: 9, needs: .utility) { c, u in
            u.trainOnSynthetic.perClassF1[c.classIndex].map { .defined($0) }
        },
        value: { _, u in u.map { .defined($0.trainOnSynthetic.macroF1) } })

    public static let trtrF1 = FidelityMetric(
        name: "TRTR macro-F1", direction: .higherIsBetter, key: ["utility", "trtr", "macro_f1"], definition: .utility,
        perClass: .computed(key: ["trtr_f1"], heading: "TRTR F1", column: 10, needs: .utility) { c, u in
            u.trainOnReal.perClassF1[c.classIndex].map { .defined($0) }
        },
        value: { _, u in u.map { .defined($0.trainOnReal.macroF1) } })

    public static let accuracyRatio = FidelityMetric(
        name: "TSTR/TRTR accuracy", direction: .closestTo(1), key: ["utility", "accuracy_ratio"], definition: .utility,
        perClass: .notComputed(because: "accuracy per class is recall of the class; the per-class entry has its F1"),
        value: { _, u in u?.accuracyRatio })

    public static let macroF1Ratio = FidelityMetric(
        name: "TSTR/TRTR macro-F1", direction: .closestTo(1), key: ["utility", "macro_f1_ratio"], definition: .utility,
        perClass: .notComputed(because: "the per-class entry has the class's TSTR and TRTR F1 themselves"),
        gates: [Gate("min-tstr-ratio", .atLeast, subject: "TSTR/TRTR macro-F1")],
        value: { _, u in u?.macroF1Ratio })
}
