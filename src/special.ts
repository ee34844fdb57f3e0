/**
 * Special functions of the activations and the Gaussian expectations, in float64:
 * `erf`, `erfc`, the standard normal CDF and density. JavaScript has no `Math.erf`; these are
 * ours, and assembly/special.ts is their twin in the wasm module (same algorithm, same
 * coefficients).
 *
 * Design (coefficients fitted by scripts/fit-special.py, near-minimax Chebyshev-node fits):
 * - `erf(x) = x + x R(x^2)` for |x| < 1, R of degree 11. Writing the leading `x` separately
 *   keeps the relative error at the last rounding near 0 as well.
 * - `erfc(z) = e^{-z^2} erfcx(z)` for z >= 0.5. The scaled function `erfcx(z) = e^{z^2} erfc(z)`
 *   is smooth and slowly varying; it is a degree-9 polynomial in `s = z - mid` on each of 96
 *   intervals covering [0.5, 32) (16 per binade). The interval's index and midpoint come from
 *   the top 16 bits of z, so finding them costs no search and `s` is exact.
 * - `e^{-z^2}` is computed from `z^2` split exactly into `hi + lo` (`hi` the square of z's top
 *   26 bits): rounding `z^2` first would cost about `z^2` ulps in the far tail (700 ulps at
 *   z = 26), which is what GELU at very negative x and erfc near underflow need to avoid.
 * - `erf(x) = 1 - erfc(|x|)` for |x| >= 1 (erfc <= 0.16 there, so its few-ulp error shrinks)
 *   and `erfc(x) = 1 - erf(x)` for x < 0.5 (the result is >= 0.48, nothing cancels).
 *
 * Measured against a BigInt reference (test/special.test.ts): erf within about 1 ulp (relative
 * <= 2.3e-16), erfc and the normal CDF within a few ulps down to underflow.
 * @module
 */
import { base64ToBytes } from './platform.js';

/** 2/sqrt(pi) - 1 is ERF_SMALL[0]; erf(x) = x + x * ERF_SMALL(x^2) for |x| < 1. */
const ERF_SMALL = new Float64Array([0.12837916709551256, -0.37612638903183543, 0.11283791670945006, -0.02686617064323777, 0.0052239776071164225, -0.0008548325975389692, 0.00012055294904839707, -1.492473690741966e-05, 1.6447424703317362e-06, -1.6208483801871705e-07, 1.3720064546777686e-08, -7.795898827002142e-10]);

/**
 * erfcx on [0.5, 32): row i (10 coefficients, constant term first) is the polynomial in
 * `z - mid_i` on the interval whose top 16 bits of z equal 0x3fe0 + i. Stored as the
 * little-endian bytes of the float64 values in base64: the exact bits in 40% of the decimal
 * text's bytes (the library's JavaScript has a 100 kB budget).
 */
const ERFCX = float64FromBase64(
  'EEJ9rNJy4z+5CqReRQ3gvxJZYc/1V9Y/sYQiU5Vxy7+Q6OSfWom+P99qQlZGUK+/R/M3UIvznT8E9CgLRfaKv5mDOPieAHc/f9pW' +
  'F26yYr+FSJMDJvXiPxE/OBkav96/js5bwckZ1T/PYk2v/5vJv5JN2a5DMrw/TsL8e5ujrL8Zqy3iXiebPyTuUC6tPoi/H4uMgbuG' +
  'dD9qRMK0WJBgv9N+6T3AfOI/bHjeseB23b8IYP6UxvDTP9+LpC896se/ZqFxyiEOuj/+ujJ4pTaqvw7eDkYdo5g/etpvt7XRhb9g' +
  'Di1w71RyP9Q2IAthX12/86QjElcJ4j+ji9MEmUDcv89gVuVQ29I/3ODD9kRZxr+JZk3EOxi4PyhI7WcEA6i/rjPT5BVflj9oLaDV' +
  '6KaDvyxoe0SeYnA/b9UKbogQWr/Ep/0apZrhP85v4CsWG9u/6IffAfDX0T9SppHjVebEv/nC9f1QTLY/URhbUAYDpr8L2RifdlSU' +
  'P4ME26TStoG/mDBJf31QbT/nlH645yVXv8d7DnlpMOE/DoGzy0EF2r/YXEC9SuXQP5IDu3DvjsO/yxTDmoymtD/XkpWHkzGkv7J2' +
  'OmMxfZI/dCLNIsL1f79299E2bj5qPygu9ucXk1S/zHFtfGfK4D+lnRYzGv7Yv8H87owkAtA/6G9TVctQwr8oUN8heiOzPxJ+EW8d' +
  'iqK/sBvVCuXTkD+pJO7Jj9p8vzNKGSt8g2c/OQ0BNktNUr9BwYFVZmjgPwVG3aWwBNi/LgZq4rVazj8AdfjQ1ynBv3CR82T7v7E/' +
  '43A+No8Iob8QNXAmkqeOP0jyRNzQEXq/UI7wRIAVZT8AC79XFktQv6cgVswwCuA/talCzycY17+/bvo7xsvMP2pkZpAyGMC/6gps' +
  'hT95sD9RUKPKgFKfv1RCkaU38Ys/1nt5jXiSd7+W8NZmkOtiPwnan6SCCE2/eve0+ylf3z9JA+JXsjfWv7i5WbuPVcs/G15LM0g0' +
  'vr9MZtPtdZmuPzxu2/DR0Zy/ke/ZsyV9iT916JSdhVR1vzIrlCPX/WA/usRvnT3jSb9auxg9yLDeP2h32ZuRYtW/8EgRUE/2yT/h' +
  'fdthN1y8v0XPGMNAcKw/H4/rtC2Jmr9UBMRxmkSHP0QxugDiUHO/67lejOGKXj87njIB0hlHv/tXF4TkCN4/fE4CfhSY1L8SuZrP' +
  'ZazIPzzdJFJXpbq/eMWdlLRyqj/ThQ4qSXOYv1I3YNqOQYU/6/t5mkaBcb+9WVrimXhbP/RqpatGoUS/Of5ZTixn3T/gIHpVltfT' +
  'v+NxctRUdsc/bHCoJwwNub/w4JLVCp2oP56o4SBii5a/bUkBg6Fugz8tlDcIRcBvv0oOjGooulg/7Y0HhQBwQr9CyEoQUsvcP3qM' +
  'APN9INO/hI2M6LtSxj//XX+P85C3v4axz0jX66Y/TThMhjDNlL8sVBPjA8eBP6pAfs8K0Wy/FWhwLCJGVj/XbwsslX1Av4CE6dwM' +
  'Ndw/IEntuzxy0r+btZbzVUDFPzU86WTfLra/2R7/+v5bpT98DXlo2TSTv5+dkNNpRoA/iPdNFBksar9FqxgPOBRUP7pJvGpHhT2/' +
  'GjR5FBik2z8hz7vYTczRv2uoQOb2PcQ/oaBq3tDktL+fW5AxsOqjP2LtCHDjvpG/7+7a//XRfT/VqnFVpMlnv1rtIvcTHVI/ZNN0' +
  'UWVxOr+jsydfE9TaPzSLyEz14dC/KcjxzxzWwj/9/9Qu0R6zvx0ZmOdx9KE/FQK810ePj7+Y9oZJri56P92CIlGro2S/2LnWSwQX' +
  'Tz8sQ4nPD3Q2v/02q8wUz9k/1cqngr+Ez78h6G4i+CTBP5WmqCbABbG/sQErNUxXnz/c6vyZagyLv0RDCCmtEHY/PyS4GzIfYb95' +
  'xHv+K2lJP/5K9dxWGDK/uU7rHT/b2D9Rj7SXtnjNv3mv2zjWRb8/Uno5Uudgrr9gJ6X6oGubP2DHtpvjPYe/ydir0CGlcj9fzEaY' +
  'ZHxcvzLUnGbl00Q/ks4K09w/Lb+FMVHID/fXPwEKiZFNmsu/sr2GDiKUvD9rJn0swiqrvwsm1XYnDJg/KiIfAF0FhL9oal8Lspdv' +
  'P8BI1A6dwle/co+Q/FYeQT+Del4b8LQnv3K2wYUtIdc/YRSUNLHkyb+NZUsAsCq6P4cTCuHrWKi/xAlCyHEjlT9pSmaU8UmBv885' +
  '8/+H1Wo/pEh/0vbeU7/QhY6vXzc8P0iiS6KTRCO/Vv4LQGNY1j9ZZNQJpVPIv6grxXXBALg/C8jf0bLdpb9swoWhmp+SP1Px7F1J' +
  '7n2/5Yq/lHrZZj+6M4SpValQv8QagZACUTc/BkgqEuZnH7+V7l+vm5vVP2U9mcdu48a/p70gLMcOtj8eQNv2ca2jv+BCHRWmcZA/' +
  'oFBvZh34eb+mLO5JH4FjP9RN7asHA0y/oNBSo2ZRMz8aGUGT9KkZv/y/zJDd6dQ/gfNhz8SQxb+kRAMiNE60P+siFBE8vqG/nxXi' +
  'FQAajT//E1eDZpV2vwRMnwphsGA/Fhg0xSKbR7+ZQWz23gswP+gJK2/vBhW/7l0tXkhC1D8W/D5Bv1jEv7ST5MBXubI/V50qhJUH' +
  'oL+07s8eJc6JPxbkyfrwrnO/lolTRoygXD+NJFe3GfFDvwgS6y+ZuSo/VZjIZdFFEb/eB4p0EaTTPz/pJDvLOMO/AniiBT5LsT9D' +
  'sydOdASdv8a1+rne7YY/rN3sT3Excb9r5irH65tYP6hrzhID40C/LZhA2WlPJj/svcBjIHMMvxas+JiBDtM/Vmel7J8uwr8ZlP1H' +
  'Kf+vPxOAd8TZT5q/b1KV4hFqhD9JCHMPoxluv0VRVvPgM1U/DBI2Y6+qPL/n59LghqsiP+bspXf+fAe/SdqEzvKA0j+xfkM2NTjB' +
  'v0jLFp8opa0/f7zTtJ7ml7/bvGF38DWCP9FBjC1AZ2q/U0TEA91OUj+r6mR6YGM4v+qtivN5Uh8/ifDaDpNwA79Kd7xxzvrRP3sJ' +
  'tpe7U8C/wrby9NqBqz/YFbV4gL+Vv5Lt4hKZRoA/I8MJpjM1Z7/mHJRagK9PPxViLzOKyzS/iBFsovFVGj8fD5InvyAAv/GUOpCL' +
  'e9E/6KHJdCr/vr+DIi3zb4+pPz0QoAF+0pO/vma2Jo8lfT96W7NFk3Bkv3ROnqgTeks/6lGz/0TFMb+FWNumqjEWP3FDmX350vq+' +
  '8XP9c60C0T+wjlDbn3S9v41/yCvKyKc/+uLjbqgYkr8SQV2IJiV6P7pjfmxzCWK/eI14W2HgRz8Ib5bjFnAuv9sS18nvvhI//bmW' +
  'lexb9r4NXIxbwo/QP/0MR+I/Bby/SR1rUWcppj/C9a4l+4uQvymeS2Fwfnc/W9OxvsvkX78u3VOTNcpEP9Ji5F1rHyq/2ayiFaa8' +
  'Dz8tfMjrEK7yvs6S3OtQ288/rftNahkMur8DnfDYWvujP2LeyY2+BI2/hD1VX6ITdD/Ze/pXMJtavyEP4z5O9EA/IRmSHbXZJL82' +
  'z7IdOtUIP6gRUdRNquy+DoOVLaxNzj8VfE110rW3v1YNI/U3e6E/FB2mW/F6iL+GABPc719wP4aNdAlwBlW/RRgPGTgCOj9pzSZJ' +
  '4Bcfv5yCmZrKBQI/RkEPIhJG5L6UZKtFDuPMP3RUuP8wqbW/Zhfy72y7nj8Z+gFwdcSEvyQ9wpkU4Wo/dLz/Sau6UL8snp6Hphg0' +
  'P1/I4vJVXRe/alzlBJdf+j72okEXp+vcvuxUQ0A5l8s/0TqZ0Qbbs7/oqYSGRyKbP1wRAj4RtoG/BLHKC4oxZj9LWbQrB8xKv1h5' +
  'qTxzRi8/lQLiUTiwEb994tRzwHLzPn1VslfUy9S+k9UQn5Fmyj+zKb1lIEKyvyHBs+XADpg/5xRAxohcfr98Tswa5W1iP0kJj4y9' +
  'mEW//S3lAD6AKD9d6BBUh/kKvz7V2pJY5uw+l1tXwuMkzr5yhsf4AU7JP4zRyNHf1rC/42YNtylqlT+uWdMd0yV6vyJYHfj+xV4/' +
  'D91qMIyCQb8ja0a4hlEjP9RfYQrQtQS/DMnGFueg5T6eu+DAVQPGvrPgHzDkSsg/5y2Gzdslr79fQ+wcLSKTPxum35nsnna/wp3Z' +
  'BXbTWT+EDOYkV448v44yCBBZpx4/wLLAxokBAL+ey5On00zgPv9JhlpvMcC+tqBdC+9axz/5LDt9+OGsv3RdMXvkJ5E/Eek4LFqn' +
  'c7/0rr0V8sdVP1Jf3bS1aTe/oZ3CPQN3GD+E5/8V/OX4vobD6jAHvNg+calJrAX+t7606po+J3zGP2H3f4oo2aq/1xQPSUPejj80' +
  'kld4RSVxv13DJKPDdFI/e2xn/P1LM79MZCN7G6MTP06uoWnxe/O+IbY8lnLj0j796k7SKeWxvlQi6DHTrMU/OQK0j+ADqb/xCEv2' +
  'w9uLP+6gV08ECG6/PdaKOARrTz9yew117Pcvv15kG1xpsg8/NBQZn5Os7r7slVzAXQfNPnR7XQ/p3qq+6tOO9XDrxD/lfQqduFun' +
  'v4U6IjjBN4k/4Tnsxdtlar/XtdXBOdtKP+LOMzyZmyq/1f5+GE+3CT9s8sPsNEjoviUIb3XdcMY+dM5p8l1NpL43tgb2rTbEP77a' +
  'mho626W/tCOacoDkhj/q1e6rJ0lnv2nGx9YSDUc/11YYr3w/Jr/TnAKPE/gEP9I+1HSjU+O+75XKHuRywT5V38sT5d2evvQjAhlg' +
  'jcM/+myWP7d9pL9VrgJGjtaEP9+81bcFnGS/Pw5DcsncQz/Xs6nzQa8ivzE0vbBjLgE/sJAQYi7t3r5VuPYmSkm7PlGcmfdsmpe+' +
  'uk9D/3/uwj+2vREeKj+jv2ZNr7hSBIM/zMNW05NMYr9+5dqO0y1BP1Mp3mE9hB+/j/tBXE1J/D6xgDWCdt7YvpknrRw8c7U+o0sg' +
  '2+smkr6tfww1JFnCP5U3VrYZHKK/LislNLtlgT8ob8gGI0xgv5ui4hqd0j0/MSLWMjWwGr/A4vizjGP3PuIhBMVWGNS+zF5nGjHz' +
  'sD5i6iJU2RKMvgoz9yV9zME/3qVo3IMRob9/+AUg6+d/Pzghz40tHV2/JAtxQ5L5OT9fd+gVCrAWvz4Bo2EsbPM+9hDFbEFQ0L4Z' +
  '9iXzF+yqPpbE4Poj04W+mrHc4UUIwT+GEcHVz1Ofv4iRpPTWIXw/DB75ZGy0WL/1mS9kOT41Pxx6U74H6BG/OAQVu2Kf7T4cgANQ' +
  '2hDIvvCnj55VP6M+u+WWpHI9fr64cS7C/BrAP/DC8/e2FJy/QmOkUhb1dz/HP6qQ8AZUv3BaXKP5azA/6kcfGi1xCr/e0Oxrievk' +
  'PkGxE5cZR8C+cEQfber2mD7aoDHaj9Nyvo37kF5yi74/1n+yZUxOmb+je6mPoI50PwVc8FAdZFC/mmlGoeqtKT98bDSWSMcDv7lt' +
  'Wqab+t0+fyYDzBBftr5n5weNFniQPm/8DtCQ32e+6pPUNiIKvT+mUkS2neqWv8/yFAsgw3E/qTbmujgRS79U4BKTF0okP3oeTy8z' +
  '8v2+QGi9s1jF1T4YCzCF7jOvvt7skjw7FIY+lDqys37LXr77Gy6kbKy7PwtgRMVt2JS/eB3Q7f/jbj8qweto0YdGv2OrFfvcLyA/' +
  'zFkpw7bs9r5rNmrLUwLQPj3w7PvPD6a++ubrWogLfj6G84pwpS5Uvm1bV0mrbbo/9H/6vg4Kk7+A79cW7wRrP0E/Hvgs5UK/8V/7' +
  'lqoPGj/B9+iIhLvxvtXKQ7QE0sc+25TeBMiZn77LBOCP8rp0PmirCyqq2kq+Yddj6/tJuT8t/xmwi3SRvzwR6Xfvwmc/qNWvoeLp' +
  'P7/zUJvjwScVP6r0/xTmsuu+3IjkJlbqwT5z9JKL3ueWvuDIXlDc+2w+ilk40qIeQr7Wk0UVGj64Pw234CgKD5C/SN9wJ2UAZT/u' +
  'gfim+h87v7DiKE2RThE/tK4/FUPU5b4bcIOfVTm7PhWdRXKQypC+WXOAQy2DZD6Gs2Y8W8c4vuDa/05BR7c/3exb46ekjb/WMK+d' +
  'GKZiP7yAoyiEMTe/dClE0u2FDD/O3oXITVnhvnGgGvbx4bQ+1PNyJynhiL7AqwqcG19dPi0otwXHJzG+C29wxRVjtj8OeIF2+3CL' +
  'v/FrKGCsoWA/x//AGmXxM79Gpdba+akHP7cwBHBmy9u+K9c1K4IpsD6ISXzuqZ2CvmPDIaEhQlU+cjoK/zYJKL7KfMXUkY+1PwUL' +
  'iAdGeYm/Xuo0ovXIXT8VvgRv4jwxvwPHUqXpwQM/fygtNhhu1r5D5DMOdzqpPluiu8KqHny+lFLp4eEWTz46xbn5sAYhvjEy+lD3' +
  'yrQ/fyXMVWO1h7/dfbDPfMVaPzU4FDgD8i2/+xnztyCYAD9YeTsyJjrSvt7T0S2o2KM+ukiePfZsdb7PNUBcTPRGPqnTPrcoYBi+' +
  'NdTcssMTtD8CN/d6gh6Gv9bNKVbfJVg/+vGpCUMhKr/9DNAx9Af8Pq2NOu5a0c2+gUt5KUR1nz40oeiqEXZwvquaNHl2GkE+KbLE' +
  'dmyfEb7u/2SGpmizP+y+vy7mroS/+PoO05TaVT/a7KcHKuYmv1rTBoDCzPc+F617w0WKyL7aLSvEgxuZPlSKD5RKfmm+OB3UZm61' +
  'OT41wArsxbgJvrQSuJ55yLI/hcyUfbJhg79n8Y/B39ZTP9u8mS40JiS/eBGupMBO9D77EN/2dFDEvkqOHKAYLJQ+EoCiAD3jY76o' +
  'jNRXA3szPnce8sl38AK+yYllsToysj985VPRxDKCv8D4vNU8EFI/VxpQ0ifMIb91f8RWtGjxPh5YVUqh6MC+Pmp5WiFPkD5NVG4x' +
  'ej9fvhX1DrCHwC0+0rCsepIg/L2g+HW8j2GxP/yDefSKnYC/gEBULDiMTz+S9QWKVL8dv2gA978f3es+gQXT0/rtub5BRTWJv/mH' +
  'PioN4yeiB1a+WQ5sCFcoJD6Y1SBdtEvyvRdsFlmcZrA/sDMV0k6cfb+76GkZn5BKP+lbj2EisBe/8M2/1i//5D7MPosUm4CyvitU' +
  'NcnYNYA+Y/gXn10+TL4iSZXxAoMYPvJQ6uolHuW9FX6ESJ0Mrz+7iAJWYox6v8/+Y0TlkkY/8kB80t8WE7/xbJogTw7gPr4KiJKq' +
  '3aq+/BW/lRRcdj5dOGi6gYNCvtVTU/iXjQ4+zHcEWi4L2b2vjW7cR3mtP4QWPe+F73e/OI8GNyhXQz/j3gcPpBkPv6Fag3cP4tg+' +
  '2gxK8h7Qo742t0/A82ZvPu1N5RvFxDi+T3tqhZ95Az7RxHH9xnDOvZJbk7K5DKw/1cM03Fmwdb8dKvAbpLFAP4s3r80ylQm/MaAF' +
  'C+SD0z5+yeFShqSdvnB0kgZUamY+8Ni1yavgML7/j3kdyVf5Pc3wp0j268K9h5YPYKLBqj+NSiK4N75zv3oswVDAAz0/hdcqoIA7' +
  'Bb9bE/Rh3vLOPuZrzeAKd5a+/0u5Z/o9YD6xkJZfzGQnvvKPc+F6zfA991a/p7EDuL1H9W5PnpOpPyP3lmgADHK/cd5ULd5eOT9h' +
  '4Rg9EMQBvxipgNrVycg+ZfURTMY6kb5yzvncKd1XPr40Lxx6dyC+2yDGkWWr5j2ypcc3ChCvvbS24IcFf6g/7UCVeUCPcL/Lq7+m' +
  'ak82P7bNqRUa9P2+PGvDtd8JxD4fh4VYTbiKvjHwj1UmwVE+rl1c6AyEF76Az29ImBPfPVVCnGP4caS96U1bNMaApz/VjWdZIH9u' +
  'v96oAvS3uDM/drnT6+Ns+b69FifdXFbAPg4ubNfx7YS+MKMW0ZC6Sj7EtpxOyQMRvl3vvLL2ndU9aSHPiZ9am72ZAlHHR5amPxC3' +
  'Gtw6LGy/tFvc9W+EMT+knoEWJLj1vhQNjfaZ2bo+KzMonEeMgL4G1Q46o1ZEPhkbjt/r7Ai+C0fNJ998zj1mMryggpOSvcPZLoNU' +
  'vaU/mS+eP6caar8AWNp/AkIvP0U6yum5qfK+dM3cKKU5tj4XmoiVQWV6vufMBCqdQz8+xKBxJEl3Ar4kzhRaMMbFPd09BokDlom9' +
  'ctCq0Af0pD+klaDfMUFov/rYz3z0ACw/VmJSH+wf8L5l9pG+qYWyPtLhEDnmOHW+FX0WKkxBOD6rKr6X/ab7vT9O41zfeL89/Tfb' +
  'vhLagb1tMVQ7wDikP5LPPtc2mGa/AY9AoGMvKT8YIOBYaAHsvr/ne4xYEa8+rA7XwBgxcb6W/nOYaPsyPpKYD4z36PS9S19ni1f/' +
  'tj32eMvWczd5vdTWKDsUiqM/lMPqcVMZZb/Bh2okTrsmP7pGtOWab+i+2SMtVKw1qj4GDVwL0AxsvjbJUJMt9C0+9YkBRMfq7732' +
  'g1UEt/qwPd8BrSOhA3K9ZSG1Kcnmoj+xMe8DKb9jv48IJvURliQ/LwShhJlq5b6Nlkle0TumPqC/QBvJCGe+4Z1C4I/QJz6mu0kp' +
  'N5LovfLe/Xz+UKk9DYz5tMIDar3r4XTpy02iPwcTGucshWK/YzA397WzIj8eQirVL9nivrKSzLBw9aI+GkLrc1wIY77Bv2O85BEj' +
  'PlZGu4IJEuO9zADAqcoLoz0mO3IQWPlivba4mmWZeaE/YOMZ9j7iYL9MOQbQd0ggP7eASW/fWd++SIyapJognj5nMw1VYuZcvrCY' +
  'cn9mrBs+2NmGM9Fz2r2zqSgGBEyZPaGxGMmhGFi9bWU2VdF6oD/w93E8bAlevzaqI1BIVBs/Uvqi3G3T2L6OLdpoE4SWPupAFAx0' +
  'Y1S+DCIQONJuEj7nVqFvgqPQvbHvJn73DI49ZMekwnYKS73n+mZH6C6fP0F9Sewb5Fq/+hMCMv4nFz/GQw76VunTvkWi33DQGJE+' +
  'WIeM6ZJRTb5vdxG/VBoJPgfRzGeDdsW9DelUkohbgj10m2J2oU0/vdLHkiuglp0/YKSm1NY2WL/9fK9nWMoTPy9lgjBkJ9C+tjqp' +
  'kExWij7jPizuOXFFvq1XQhlRbwE+o9jN2QpRvL2UfkmqqgB3PSQ+8R/eoTK9lVlVKAcmnD9rJbiv6epVv5GjaTG/CxE/zhi6i6B7' +
  'yr4AYHnmV4yEPlnXLwCK2T++0AcCX6in+D2UAfkzNRCzvX17TXUPfW09fL4CwYa/Jr2/2i08mteaP5TTMU+/7lO/797MhVOSDT/N' +
  '1DwQl+nFvjyomP1DOIA+7GnIm4/8N746h2eSqrfxPZwVQUFkJaq9R1S+3iNMYz29uYci+GocvQHQsOTPppk/jLEk2Y00Ur8bqGyq' +
  '1tAJPw+muRU3ScK+7Yyg3zPheT4k1HBpsEsyvnlNYgfc1+k9WD+PuAw8or0RVIe+Cr1ZPZAy/SEwIBK9K1HxWuOPmD+URY/lZbFQ' +
  'v+ryxY1jqwY/36W9LxnCvr7tTrO2Dtl0PgnkwfJ1PCy+1p82aLoa4z17X1OuNNSZvbH0UJvTdlE96x4tZdORB72W0Q+mrI+XP7ez' +
  '9/MIuU6/XvtXjJYDBD9rSU7B5g26vhYZD1jg8XA+zTQvZMgFJr5ZSfAdOZncPTQh2dnJjZK9VYXgfVMUSD3I14GUbjH/vL1+PwSC' +
  'o5Y/xHMTAKddTL82+vxf4MEBP9vnWyA0N7a+Lv9/Z6zFaz7TkDDrl1ghvgbhKKraptU9PE+sGYABi730FPtVX9hAPTCALLek+vS8' +
  'zivwNiDJlT/EM7kdFkVKv1q9M0uZp/8+wzh5mOQOs74Rsfqqru5mPpLWPjoekxu+UoKs3haR0D181wn7feSDvQrtQf7n4zc9BM0a' +
  'w2yl7Lya/wT0l/6UPwUnfnLUZUi/+UZYgoZV/D4v/rdNI3Gwvs1UDMTUEWM+cK0eMlUaFr4j/QnpEJrJPeC5hVuoon29C/YezbEn' +
  'MT0qpVvrANXjvO9aajo/QpQ/w38T3wG4Rr/Ml/TzPnb5Pm90wXnPhKy+KzqbCFfsXz64CO5HK9sRvi/hRg6g9sM9XVnLcEdOdr0H' +
  'i/UBR+0oPcnrL0hk0du8al8Un6WSkz8lvpveDDVFv5d8MHMH9/Y+4BEeyKvaqL4jTIppLeJaPm9JzCDeDw2+qg99tS5mvz1VQPS8' +
  '2PNwvdRwQyDgTiI9yFTUbjO/07wPJLnkiu6SP2h0KBFy10O/tm5UerHI9D43AJ0qbMKlvlJ0lm3DxFY+bZ4qq9bPB76Gu74Bw+O4' +
  'PQ3owyCkAGq99uQ/nTErGz3RH601dlrMvBXVelzXVJI/y2ONzYmaQr8IZZuO2N7yPn+Oy8utIaO+5ocK/vNiUz7o9bT2laIDvsZ5' +
  'ur1+4LM9LftzUpocZL0BWbwBFFoUPTgAX+NhksS8');

/** Float64 values from the base64 of their little-endian bytes (whatever the platform's order). */
function float64FromBase64(b64: string): Float64Array {
  const bytes = base64ToBytes(b64);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(8 * i, true));
}

const INV_SQRT_2PI = 0.3989422804014327;
/** Veltkamp's splitter: 2^27 + 1. */
const SPLITTER = 134217729;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
// Typed arrays use the platform's byte order; every engine ntk-wasm runs on is little-endian,
// so word 1 holds the sign, exponent and top mantissa bits.
const HI = 1;

/** `x + x R(x^2)` for |x| < 1. */
function erfSmall(x: number): number {
  const t = x * x;
  const c = ERF_SMALL;
  let r = c[11]!;
  for (let k = 10; k >= 0; k--) r = r * t + c[k]!;
  return x + x * r;
}

/** erfcx(z) = e^{z^2} erfc(z) for 0.5 <= z < 32, from the interval table. */
function erfcxTable(z: number): number {
  scratch[0] = z;
  const w = scratchWords[HI]!;
  const o = ((w >>> 16) - 0x3fe0) * 10;
  scratchWords[HI] = (w & 0xffff0000) | 0x8000;
  scratchWords[1 - HI] = 0;
  const s = z - scratch[0]!;
  const c = ERFCX;
  let r = c[o + 9]!;
  for (let k = 8; k >= 0; k--) r = r * s + c[o + k]!;
  return r;
}

/**
 * `e^{-c a^2}` for finite a >= 0 and c = 1 or 1/2, with `a^2` carried as an exact `hi` plus a
 * small `lo` so the result is accurate to about 1 ulp even when `c a^2` is in the hundreds.
 */
function expNegSquareAbs(a: number, c: number): number {
  const t = SPLITTER * a;
  const hi = t - (t - a);
  const lo = a - hi;
  // a^2 = hi^2 + lo (hi + a); hi has 26 significant bits, so hi^2 and c hi^2 are exact.
  return Math.exp(-c * hi * hi) * Math.exp(-c * lo * (hi + a));
}

/**
 * The error function `erf(x) = 2/sqrt(pi) int_0^x e^{-t^2} dt`, relative error about 1 ulp
 * (<= ~2.3e-16). erf(NaN) = NaN, erf(+-Infinity) = +-1, erf(-0) = -0.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 1) return erfSmall(x);
  if (ax < 6) {
    const r = 1 - expNegSquareAbs(ax, 1) * erfcxTable(ax);
    return x < 0 ? -r : r;
  }
  // erfc(6) = 2e-17 is below half an ulp of 1; NaN stays NaN.
  return ax === ax ? (x < 0 ? -1 : 1) : NaN;
}

/**
 * Complementary error function `erfc(x) = 1 - erf(x)`, relatively accurate (a few ulps) in the
 * far right tail down to underflow (erfc(26.5) ~ 1e-307; 0 beyond 27.3). erfc(NaN) = NaN.
 */
export function erfc(x: number): number {
  if (x < 0.5) {
    if (x > -1) return 1 - erfSmall(x);
    if (x > -6) return 2 - expNegSquareAbs(-x, 1) * erfcxTable(-x);
    return 2;
  }
  if (x < 27.5) return expNegSquareAbs(x, 1) * erfcxTable(x);
  return x === x ? 0 : NaN;
}

/**
 * Standard normal CDF `Phi(x) = erfc(-x/sqrt 2)/2`, relatively accurate for very negative x
 * (Phi(-38) ~ 3e-317): the Gaussian factor is computed from x itself, so rounding `x/sqrt 2`
 * costs nothing there. Phi(NaN) = NaN.
 */
export function normalCdf(x: number): number {
  const ax = Math.abs(x);
  const z = ax * Math.SQRT1_2;
  if (z < 0.5) return 0.5 + 0.5 * erfSmall(x * Math.SQRT1_2);
  if (z < 27.5) {
    const t = 0.5 * expNegSquareAbs(ax, 0.5) * erfcxTable(z);
    return x < 0 ? t : 1 - t;
  }
  return ax === ax ? (x < 0 ? 0 : 1) : NaN;
}

/** Standard normal density `e^{-x^2/2}/sqrt(2 pi)`, relatively accurate down to underflow. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * expNegSquare(x, 0.5);
}

/**
 * The Gaussian factor `e^{-c x^2}` for c = 1 (default) or 1/2, relatively accurate (about 2 ulps)
 * down to underflow: `x^2` is never rounded, which would cost up to `c x^2` ulps (hundreds in the
 * tails). Used for erf' = 2/sqrt(pi) e^{-x^2} and the normal density. NaN gives NaN.
 */
export function expNegSquare(x: number, c: 1 | 0.5 = 1): number {
  const ax = Math.abs(x);
  if (ax < 40) return expNegSquareAbs(ax, c);
  return ax === ax ? 0 : NaN;
}

/**
 * The exact GELU `x Phi(x)`, relatively accurate wherever the result is a normal number. For
 * very negative x the product `x erfcx(|x|/sqrt 2) / 2` is formed before the Gaussian factor is
 * applied, so Phi's own underflow (Phi < 2^-1022 below x = -37.5, while x Phi(x) is still normal
 * down to -37.6) costs nothing. Beyond |x| = 40 it returns x or -0; NaN gives NaN.
 */
export function gelu(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 40)) return x < 0 ? -0 : x;
  const z = ax * Math.SQRT1_2;
  if (z < 0.5) return x * (0.5 + 0.5 * erfSmall(x * Math.SQRT1_2));
  const e = expNegSquareAbs(ax, 0.5), r = erfcxTable(z);
  return x < 0 ? x * 0.5 * r * e : x * (1 - 0.5 * r * e);
}

/**
 * The exact GELU's derivative `Phi(x) + x phi(x)` (phi the normal density), relatively accurate
 * except near its zero at x = -0.7518 (absolute there, ~1e-16), by the same ordering as
 * {@link gelu}: for x < -0.707 it is `e^{-x^2/2} (erfcx(|x|/sqrt 2)/2 + x/sqrt(2 pi))`.
 * Beyond |x| = 40 it returns 0 or 1; NaN gives NaN.
 */
export function geluPrime(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 40)) return x < 0 ? 0 : x > 0 ? 1 : NaN;
  const z = ax * Math.SQRT1_2;
  const e = expNegSquareAbs(ax, 0.5);
  if (z < 0.5) return 0.5 + 0.5 * erfSmall(x * Math.SQRT1_2) + x * e * INV_SQRT_2PI;
  const r = erfcxTable(z);
  return x < 0 ? e * (0.5 * r + x * INV_SQRT_2PI) : 1 - 0.5 * r * e + x * e * INV_SQRT_2PI;
}
