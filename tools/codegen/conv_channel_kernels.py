#!/usr/bin/python3
"""Prints the micro-kernels of core/.../kernels/ConvChannelSimdKernels.java (paste them after its
constructor): V vectors of filters x R output rows x J output columns, one variable per register."""
kernels = [(1, 2, 10), (2, 1, 10), (1, 1, 10), (2, 1, 6)]
out = []
for V, R, J in kernels:
    n = V * R * J
    out.append(f"""
    /**
     * {V} vector{'s' if V > 1 else ''} of filters × {R} row{'s' if R > 1 else ''} × {J} columns of output pixels ({n} sums):
     * tile[tileIndex + r·tileRow + t·{V}·LANES + v·LANES ..] = Σ_k packed[k·{V}·LANES + v·LANES ..] · src[window + taps[k] + r·rowStep + t]
     * for r &lt; {R}, t &lt; {J}, v &lt; {V}.
     */
    static void kernel{V}x{R}x{J}(float[] src, int window, int rowStep, int[] taps, float[] packed,
            float[] tile, int tileIndex, int tileRow) {{""")
    for r in range(R):
        for t in range(J):
            for v in range(V):
                out.append(f"        FloatVector c{r}_{t}_{v} = FloatVector.zero(SPECIES);")
    out.append(f"""        for (int k = 0; k < taps.length; k++) {{
            int at = window + taps[k];
            int wk = k * {str(V) + ' * ' if V > 1 else ''}LANES;""")
    for v in range(V):
        off = f" + {v} * LANES" if v > 1 else (" + LANES" if v == 1 else "")
        out.append(f"            FloatVector w{v} = FloatVector.fromArray(SPECIES, packed, wk{off});")
    for r in range(R):
        a = "at" if r == 0 else f"at{r}"
        if r > 0:
            out.append(f"            int at{r} = at + {str(r) + ' * ' if r > 1 else ''}rowStep;")
        for t in range(J):
            out.append(f"            FloatVector x{r}_{t} = FloatVector.broadcast(SPECIES, src[{a}{' + ' + str(t) if t else ''}]);")
            for v in range(V):
                out.append(f"            c{r}_{t}_{v} = w{v}.fma(x{r}_{t}, c{r}_{t}_{v});")
    out.append("        }")
    for r in range(R):
        for t in range(J):
            for v in range(V):
                parts = ["tileIndex"]
                if r: parts.append(f"{str(r) + ' * ' if r > 1 else ''}tileRow")
                off = t * V + v
                if off: parts.append(f"{off} * LANES" if off > 1 else "LANES")
                out.append(f"        c{r}_{t}_{v}.intoArray(tile, {' + '.join(parts)});")
    out.append("    }")
print("\n".join(out))
