#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's elementary functions, for the numbers that still use them:
/// the aggregation models' likelihoods (Dawid–Skene, GLAD, MACE), label
/// quality scores, the learning curves' power-law fits and findings, the
/// HTML charts' log axes.
///
/// These are the system libm's `exp`, `log`, `log1p`, `log10` and `pow`,
/// exactly as the call sites called them before; they live here so that one
/// module owns every function that decides a number (see
/// ``polynomialExp(_:)`` for the ones whose bits must not depend on the C
/// library). Their last bit may differ between C libraries; the results they
/// feed are reports, not generated datasets, and are compared against
/// reference tools with tolerances. Moving a caller to the polynomial
/// versions changes its bits, so it is a decision of its own.
@inlinable
public func libmExp(_ x: Double) -> Double { exp(x) }

/// The C library's natural logarithm ln x (see ``libmExp(_:)``).
@inlinable
public func libmLog(_ x: Double) -> Double { log(x) }

/// The C library's ln(1 + x), accurate for small x (see ``libmExp(_:)``).
@inlinable
public func libmLog1p(_ x: Double) -> Double { log1p(x) }

/// The C library's base-10 logarithm (see ``libmExp(_:)``).
@inlinable
public func libmLog10(_ x: Double) -> Double { log10(x) }

/// The C library's xʸ (see ``libmExp(_:)``).
@inlinable
public func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
