#!/usr/bin/python3
"""Prints the micro-kernels of core/.../kernels/ConvWeightSimd.java (paste them at the end of the class,
after the comment that says so): F filters x T taps of the weight gradient, one variable per register."""
kernels = [(3, 5), (2, 5)]
out = []
for F, T in kernels:
    n = F * T
    out.append(f"""
    /**
     * {F} filters × {T} taps ({n} sums of LANES lanes):
     * sums[sumIndex + f·ldSum + t·LANES ..+ LANES] += Σ_q gq[gIndex + f·ldg + q ..] · xq[xBase + taps[k0 + t] + q ..]
     * for f &lt; {F}, t &lt; {T}, over q = 0, LANES, … &lt; ldg.
     */
    static void kernel{F}x{T}(float[] xq, int xBase, int[] taps, int k0, float[] gq, int gIndex, int ldg,
            float[] sums, int sumIndex, int ldSum) {{""")
    for t in range(T):
        out.append(f"        int x{t}At = xBase + taps[k0{' + ' + str(t) if t else ''}];")
    for f in range(F):
        out.append(f"        int g{f}At = gIndex{' + ' + (str(f) + ' * ') if f > 1 else (' + ' if f == 1 else '')}{'ldg' if f else ''};")
    for f in range(F):
        for t in range(T):
            out.append(f"        FloatVector c{f}_{t} = FloatVector.zero(SPECIES);")
    out.append("        for (int q = 0; q < ldg; q += LANES) {")
    for f in range(F):
        out.append(f"            FloatVector g{f} = FloatVector.fromArray(SPECIES, gq, g{f}At + q);")
    for t in range(T):
        out.append(f"            FloatVector x{t} = FloatVector.fromArray(SPECIES, xq, x{t}At + q);")
        for f in range(F):
            out.append(f"            c{f}_{t} = g{f}.fma(x{t}, c{f}_{t});")
    out.append("        }")
    for f in range(F):
        for t in range(T):
            parts = ["sumIndex"]
            if f:
                parts.append(f"{str(f) + ' * ' if f > 1 else ''}ldSum")
            if t:
                parts.append(f"{t} * LANES" if t > 1 else "LANES")
            at = " + ".join(parts)
            out.append(f"        FloatVector.fromArray(SPECIES, sums, {at}).add(c{f}_{t}).intoArray(sums, {at});")
    out.append("    }")
print("\n".join(out))
