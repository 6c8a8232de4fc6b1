/**
 * @module
 * C `printf("%.17g")` for JavaScript numbers: the format CMSSW uses for
 * Float MEs and quality-test results in legacy DQM files (spec `formats.md`
 * §3.1, `DBL_DIG+2` significant digits), which round-trips every double.
 */

/** Significant digits of `%.17g`. */
const PRECISION = 17;

/**
 * Formats `x` as C's `%.17g` does: 17 significant digits, trailing zeros
 * removed, exponent form (`e+XX`, at least two exponent digits) when the
 * decimal exponent is below -4 or at least 17.
 *
 * @param x the number
 * @returns the text, e.g. "0.1666666716337204", "1e+20", "-inf", "nan"
 */
export function formatG17(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, expText] = x.toExponential(PRECISION - 1).split("e") as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= PRECISION) {
    const frac = digits.slice(1).replace(/0+$/, "");
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${digits[0]}${frac ? "." + frac : ""}e${exp < 0 ? "-" : "+"}${e}`;
  }
  let text: string;
  if (exp >= 0) {
    const int = digits.slice(0, exp + 1);
    const frac = digits.slice(exp + 1).replace(/0+$/, "");
    text = frac ? `${int}.${frac}` : int;
  } else {
    text = `0.${"0".repeat(-exp - 1)}${digits}`.replace(/0+$/, "");
  }
  return sign + text;
}
