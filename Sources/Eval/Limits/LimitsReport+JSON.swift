import Synth
import SynthctlCore

extension LimitsReport {
    /// The `limits` object of the JSON report: parameters, input, the three
    /// curves (points, fit, level), the test split's resolution, chance, the
    /// exchange rate and the gap, with the definition of every number.
    /// Numbers that are not finite are null.
    public var json: JSONValue {
        func number(_ x: Double) -> JSONValue { x.isFinite ? .double(x) : .null }
        func interval(_ i: LimitsFindings.Interval?) -> JSONValue { i.map { .array([number($0.lower), number($0.upper)]) } ?? .null }
        func curveJSON(_ c: LearningCurves.Curve, _ level: LimitsFindings.Level?) -> JSONValue {
            var o: [String: JSONValue] = [
                "name": .string(c.name),
                "points": .array(c.points.map { point in
                    var o: [String: JSONValue] = ["rows": .int(point.rows), "errors": JSONValue(point.errors),
                                                  "mean": .double(point.mean), "standard_error": .double(point.standardError)]
                    if let k = curves.neighborsUsed(c, point) { o["neighbors"] = .int(k) }
                    return .object(o)
                }),
            ]
            // Only a power law that falls (scale and exponent above 0) is a fit to report, and never for a
            // rising curve or a flat one (its level is the mean of its points, not a plateau of a fit).
            if let fit = c.fit, fit.scale > 0, fit.exponent > 0, level?.rising != true, level?.flat != true {
                o["fit"] = .object([
                    "plateau": .double(fit.plateau), "scale": .double(fit.scale), "exponent": .double(fit.exponent),
                    "plateau_standard_error": number(fit.standardErrors.plateau),
                    "scale_standard_error": number(fit.standardErrors.scale),
                    "exponent_standard_error": number(fit.standardErrors.exponent),
                    "covariance": .array(fit.covariance.map { .array($0.map(number)) }),
                    "plateau_held_at_zero": .bool(fit.plateauAtZero),
                    "chi_square": .double(fit.chiSquare), "converged": .bool(fit.converged),
                ])
            }
            if let level {
                o["level"] = .object([
                    "flat": .bool(level.flat), "shape": .string(level.shape.rawValue), "power_law": .bool(level.powerLaw != nil),
                    "value": number(level.value), "standard_error": number(level.standardError),
                    "interval": interval(level.interval), "held_at_zero": .bool(level.heldAtZero),
                    "fall": number(level.fall), "fall_standard_error": number(level.fallStandardError),
                ])
            }
            return .object(o)
        }
        let exchange: JSONValue = .array(findings.exchange.map { e in
            .object(["human_rows": .int(e.humanRows), "human_error": number(e.humanError), "status": .string(e.status.rawValue),
                     "synthetic_rows": e.status == .estimated ? (e.syntheticRows.map(number) ?? .null) : .null,
                     "interval": interval(e.interval), "extrapolated": .bool(e.extrapolated),
                     "smallest_synthetic_rows": e.status == .everyMeasuredSize ? (e.syntheticRows.map(number) ?? .null) : .null])
        })
        let split = findings.testSplit
        var limits: [String: JSONValue] = [
            "definitions": .string("error = 1 − accuracy on held-out human rows; each curve fitted with error(n) = plateau + scale·n^(−exponent) by weighted least squares (weights 1/standard error², standard errors and covariance scaled by the reduced χ², as SciPy curve_fit); level: the fitted plateau, or the mean of the points when the curve is flat (its fall from the smallest to the largest n within 1.96 standard errors; no fit is given then), or the error at the largest n when the curve is rising (its error grows beyond 1.96 standard errors: no power law fitted) or falls with no power law of scale and exponent above 0 (power_law false); fit: given only when the optimum is a power law that falls (scale and exponent above 0) and the curve is neither flat nor rising; every standard error adds the test split's binomial one, √(p̃(1−p̃)/(n+z²)) at the Agresti–Coull centre p̃ = (p·n + z²/2)/(n + z²), p an error rate observed on the test rows (a flat curve's level, else the mean error at the curve's largest n); intervals are 95%, normal, within [0, 1]; a plateau held at zero has the interval [0, U], U the smaller of the upper 95% bound of the error at the largest n and 1.96 times the standard error of the fit that left it free, and the standard error U/1.96; gap = synthetic level − human level, resolved when its interval excludes 0; test_split.resolution = 1.96·√2·binomial standard error at the human level, too_small_to_tell when neither the human curve's fall nor the gap exceeds it (unless the human curve is at chance); chance.majority_class_error = 1 − the share of the test split's most common class, a curve at chance when no point's error is below majority_class_error − resolution and resolution < majority_class_error; exchange: synthetic rows whose fitted error equals the human error at human_rows, status estimated (interval by the delta method on log rows over both fits' covariances and the test split), every_measured_size (a flat synthetic curve below that error), unreachable (that error is below the synthetic level beyond noise), cannot_tell, human_at_chance, synthetic_rising (more synthetic rows raise the error) or no_power_law (the synthetic curve falls, but not as a power law to read rows off)"),
            "parameters": .object(["learner": .string(parameters.curves.learner.rawValue), "seeds": .int(parameters.curves.seeds), "points": .int(parameters.curves.points),
                                   "mix_human_rows": .int(curves.mixHumanRows), "seed": .int(Int(parameters.curves.seed)),
                                   "holdout_fraction": humanHoldoutSource == nil ? .double(holdoutFraction) : .null]
                                  .merging(curves.fewestNeighborsUsed.map { ["neighbors": .int(parameters.curves.neighbors), "fewest_neighbors_used": .int($0)] } ?? [:]) { $1 }),
            "input": .object(["human": .string(humanSource), "synthetic": .string(syntheticSource),
                              "human_training_rows": .int(humanTrainingRows), "test_rows": .int(testRows),
                              "synthetic_rows": .int(syntheticRows)]
                             // Only with a given holdout, so that reports of a drawn split keep their bytes.
                             .merging(humanHoldoutSource.map { ["split": .string("given"), "human_holdout": .string($0)] } ?? [:]) { $1 }),
            "curves": .array([curveJSON(curves.human, findings.human), curveJSON(curves.synthetic, findings.synthetic),
                              curveJSON(curves.mixed, findings.mixed)]),
            "test_split": .object(["rows": .int(split.rows), "error_rate": number(split.errorRate),
                                   "binomial_standard_error": number(split.standardError),
                                   "resolution": number(split.resolution), "too_small_to_tell": .bool(split.tooSmallToTell)]
                                  .merging(withinNoiseJSON) { $1 }),
            "chance": .object(["majority_class": .string(classNames[Int(findings.chance.majorityClass)]),
                               "majority_class_error": number(findings.chance.majorityClassError),
                               "human_at_chance": .bool(findings.chance.humanAtChance),
                               "synthetic_at_chance": .bool(findings.chance.syntheticAtChance)]),
            "exchange": exchange,
        ]
        // Only with categorical columns (``LearnerFeatures``), so that reports of numeric tables keep their bytes.
        if learnerFeatures.isEncoded { limits["feature_space"] = featureSpaceJSON }
        if let gap = findings.gap {
            limits["gap"] = .object(["value": number(gap.value), "standard_error": number(gap.standardError),
                                     "interval": interval(gap.interval), "resolved": .bool(gap.resolved)])
        }
        return .object(limits)
    }

    /// The space the learners saw (``LearnerFeatures``), as `compare`'s
    /// `feature_space` records it: the numeric columns standardized by the
    /// human training rows, and per categorical column its one-hot levels
    /// (the human training rows' categories) and the rows of the synthetic
    /// set and of the test split in a category those rows lack (all zeros).
    var featureSpaceJSON: JSONValue {
        let f = learnerFeatures
        var o = f.space.json(columnNames: f.numericNames)
        o["one_hot"] = .object([
            "value": .double(Double(OneHotEncoding.scale)),
            "columns": .array(f.categoricalColumns.map { c in
                .object(["column": .string(c.name), "levels": JSONValue(c.levels),
                         "unseen_synthetic_rows": .int(c.unseenSyntheticRows), "unseen_synthetic_categories": JSONValue(c.unseenSyntheticCategories),
                         "unseen_test_rows": .int(c.unseenTestRows), "unseen_test_categories": JSONValue(c.unseenTestCategories)])
            }),
        ])
        return .object(o)
    }
}
