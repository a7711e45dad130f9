#!/usr/bin/python3
"""Prints the micro-kernels of core/.../kernels/ConvChannelSimdKernels.java (paste them after its
constructor), one variable per register, in three groups:
  kernelVxRxJ        the forward: V vectors of filters x R output rows x J output columns, the loop
                     over the taps one by one;
  weightKernelVxRxJ  the weight gradient: V vectors of filters x R rows x J columns of taps, the loop
                     over the output pixels of one image;
  rowKernel1xRxJxKW  the forward for filters KW taps wide: 1 vector of filters x R rows x J columns,
                     the loop over the rows of taps, each input value broadcast once per row of taps."""
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

# The weight-gradient kernels: V vectors of filters x R rows x J columns of TAPS, the loop over the
# output pixels inside; each image's sums start at zero and are added to the partial sums at the end.
weight_kernels = [(1, 5, 5), (1, 1, 5), (2, 1, 5)]
out = []
for V, R, J in weight_kernels:
    n = V * R * J
    out.append(f"""
    /**
     * ∂L/∂W of {V} vector{'s' if V > 1 else ''} of filters × {R} row{'s' if R > 1 else ''} × {J} columns of taps ({n} sums), one image:
     * partial[partialIndex + r·partialRow + t·{V}·LANES + v·LANES ..] += Σ_p gradT[p·{V}·LANES + v·LANES ..] · src[window + pixels[p] + r·tapRowStep + t]
     * for r &lt; {R}, t &lt; {J}, v &lt; {V}, the pixels p in order.
     */
    static void weightKernel{V}x{R}x{J}(float[] src, int window, int tapRowStep, int[] pixels, float[] gradT,
            float[] partial, int partialIndex, int partialRow) {{""")
    def where(r, t, v):
        parts = ["partialIndex"]
        if r: parts.append(f"{str(r) + ' * ' if r > 1 else ''}partialRow")
        off = t * V + v
        if off: parts.append(f"{off} * LANES" if off > 1 else "LANES")
        return ' + '.join(parts)
    for r in range(R):
        for t in range(J):
            for v in range(V):
                out.append(f"        FloatVector c{r}_{t}_{v} = FloatVector.zero(SPECIES);")
    out.append(f"""        for (int p = 0; p < pixels.length; p++) {{
            int at = window + pixels[p];
            int gp = p * {str(V) + ' * ' if V > 1 else ''}LANES;""")
    for v in range(V):
        off = f" + {v} * LANES" if v > 1 else (" + LANES" if v == 1 else "")
        out.append(f"            FloatVector g{v} = FloatVector.fromArray(SPECIES, gradT, gp{off});")
    for r in range(R):
        a = "at" if r == 0 else f"at{r}"
        if r > 0:
            out.append(f"            int at{r} = at + {str(r) + ' * ' if r > 1 else ''}tapRowStep;")
        for t in range(J):
            out.append(f"            FloatVector x{r}_{t} = FloatVector.broadcast(SPECIES, src[{a}{' + ' + str(t) if t else ''}]);")
            for v in range(V):
                out.append(f"            c{r}_{t}_{v} = g{v}.fma(x{r}_{t}, c{r}_{t}_{v});")
    out.append("        }")
    for r in range(R):
        for t in range(J):
            for v in range(V):
                out.append(f"        c{r}_{t}_{v}.add(FloatVector.fromArray(SPECIES, partial, {where(r, t, v)})).intoArray(partial, {where(r, t, v)});")
    out.append("    }")
print("\n".join(out))

# The row kernels: V = 1 vector of filters x R rows x J columns of output pixels for filters KW taps
# wide, the loop over the ROWS of taps (c, a). Per row of taps the KW weight vectors stay in registers
# and each of the J + KW - 1 input values of an output row is broadcast once and used by every
# (pixel, tap) pair that reads it: column t with tap b reads input column t + b.
row_kernels = [(2, 10, 5)]
out = []
for R, J, KW in row_kernels:
    n = R * J
    out.append(f"""
    /**
     * 1 vector of filters × {R} row{'s' if R > 1 else ''} × {J} columns of output pixels ({n} sums), filters {KW} taps wide, the
     * loop over the rows of taps q = (c, a), broadcasts shared between the taps of a row:
     * tile[tileIndex + r·tileRow + t·LANES ..] = Σ_q Σ_b packed[(q·{KW} + b)·LANES ..] · src[window + tapRows[q] + r·rowStep + t + b]
     * for r &lt; {R}, t &lt; {J}, b &lt; {KW}; each sum takes its terms in the order of the taps (q, b), as kernel1x{R}x{J} does.
     */
    static void rowKernel1x{R}x{J}x{KW}(float[] src, int window, int rowStep, int[] tapRows, float[] packed,
            float[] tile, int tileIndex, int tileRow) {{""")
    for r in range(R):
        for t in range(J):
            out.append(f"        FloatVector c{r}_{t} = FloatVector.zero(SPECIES);")
    out.append(f"""        for (int q = 0; q < tapRows.length; q++) {{
            int at = window + tapRows[q];
            int wq = q * {KW} * LANES;""")
    for b in range(KW):
        out.append(f"            FloatVector w{b} = FloatVector.fromArray(SPECIES, packed, wq{' + ' + (str(b) + ' * ' if b > 1 else '') + 'LANES' if b else ''});")
    for r in range(R):
        a = "at" if r == 0 else f"at{r}"
        if r > 0:
            out.append(f"            int at{r} = at + {str(r) + ' * ' if r > 1 else ''}rowStep;")
        for u in range(J + KW - 1):
            out.append(f"            FloatVector x{r}_{u} = FloatVector.broadcast(SPECIES, src[{a}{' + ' + str(u) if u else ''}]);")
            for b in range(KW):
                t = u - b
                if 0 <= t < J:
                    out.append(f"            c{r}_{t} = w{b}.fma(x{r}_{u}, c{r}_{t});")
    out.append("        }")
    for r in range(R):
        for t in range(J):
            parts = ["tileIndex"]
            if r: parts.append(f"{str(r) + ' * ' if r > 1 else ''}tileRow")
            if t: parts.append(f"{t} * LANES" if t > 1 else "LANES")
            out.append(f"        c{r}_{t}.intoArray(tile, {' + '.join(parts)});")
    out.append("    }")
print("\n".join(out))

# The transpositions: an L x L block of the tile (L pixels' rows of one vector of filters) turned into
# L runs of y's planes (L filters' runs of L pixels), in registers, for the lane counts L of the
# machines Kindling meets (SSE/NEON 4, AVX2 8, AVX-512 16). log2(L) stages; the stage of distance d
# swaps the off-diagonal d x d sub-blocks of every 2d x 2d block: rows r and r + d (r with bit d clear)
# trade lanes through one rearrange each (lane l <- lane l ^ d) and a blend (the lanes with bit d set).
out = []
for L in (4, 8, 16):
    out.append(f"""
    /**
     * y[to + l·yStride + r] = tile[from + r·tileStride + l] + bias[l] for r, l &lt; {L}: a {L} × {L} block of
     * the tile transposed in registers ({L} loads, {L.bit_length() - 1} stages of {L} rearranges and {L} blends, {L} stores).
     * Only for LANES = {L}.
     */
    static void transpose{L}(float[] tile, int from, int tileStride, FloatVector bias, float[] y, int to, int yStride) {{""")
    def at(base, stride, r):
        return base + ('' if r == 0 else f" + {str(r) + ' * ' if r > 1 else ''}{stride}")
    for r in range(L):
        out.append(f"        FloatVector r{r} = FloatVector.fromArray(SPECIES, tile, {at('from', 'tileStride', r)}).add(bias);")
    d = L // 2
    while d >= 1:
        for r in range(L):
            if r & d == 0:
                a, b = f"r{r}", f"r{r + d}"
                out.append(f"        FloatVector s{d}_{r} = {a}.blend({b}.rearrange(SWAP{d}), UPPER{d});")
                out.append(f"        {b} = {a}.rearrange(SWAP{d}).blend({b}, UPPER{d});")
                out.append(f"        {a} = s{d}_{r};")
        d //= 2
    for r in range(L):
        out.append(f"        r{r}.intoArray(y, {at('to', 'yStride', r)});")
    out.append("    }")
print("\n".join(out))
