// The fourth sealed table set's typesetter (issue 27; bench/tables_sealed4_render.py writes its spec).
//
//   java -Djava.awt.headless=true -cp CLASSES TablePages SPEC.json REPORT.tsv
//
// One call sets every page of the spec. Each page: a running head, the paragraph before the table
// (justified), the caption (bold, centred), the table, its notes, the paragraph after, a folio.
// Column widths are measured here with the faces' own metrics (Font.createFont from the Debian
// font files named in the spec); cells wrap at spaces first and, inside a word too long for its
// column, after - , / ) ] } ; rules are drawn with Graphics2D on a 300-dpi A4 page. Rulings:
// "ruled" (every cell's edges, a heavier frame), "partly" (over and under the head, under the
// table), "unruled" (none). Mode "measure": how many body rows fit on the page (nothing drawn);
// "draw": the page as an 8-bit grey PNG. The report has one line a page: out, fits (1/0), body
// rows that fit, cell pt used, every string drawn in drawing order (joined by U+241F), and the
// characters the face could not show (none, when all is well).

import java.awt.*;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.List;
import javax.imageio.ImageIO;

public class TablePages {
    static final int DPI = 300;
    static final int W = 2480, H = 3508;                // A4 at 300 dpi
    static final double MM = DPI / 25.4;
    static final int LEFT = (int) (24 * MM), RIGHT = W - (int) (24 * MM);
    static final int TOP = (int) (27 * MM), BOTTOM = H - (int) (24 * MM);
    static final FontRenderContext FRC = new FontRenderContext(new AffineTransform(), true, true);
    static final Map<String, Font> FACES = new HashMap<>();

    // ------------------------------------------------------------------ a small JSON reader
    static final class Json {
        final String s; int i;
        Json(String s) { this.s = s; }
        void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') { i++; Map<String, Object> m = new LinkedHashMap<>(); ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) { ws(); String k = str(); ws(); i++; m.put(k, value()); ws();
                    if (s.charAt(i++) == '}') return m; } }
            if (c == '[') { i++; List<Object> l = new ArrayList<>(); ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) { l.add(value()); ws(); if (s.charAt(i++) == ']') return l; } }
            if (c == '"') return str();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int j = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            return Double.parseDouble(s.substring(j, i));
        }
        String str() {
            StringBuilder b = new StringBuilder(); i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }
    }

    @SuppressWarnings("unchecked") static Map<String, Object> obj(Object o) { return (Map<String, Object>) o; }
    @SuppressWarnings("unchecked") static List<Object> arr(Object o) { return (List<Object>) o; }
    static double num(Object o) { return ((Double) o).doubleValue(); }

    // ------------------------------------------------------------------ text pieces
    /** A run of one style: 0 normal, 1 superscript, 2 subscript. */
    static final class Seg { final String text; final int style; Seg(String t, int s) { text = t; style = s; } }

    /** Glyphs set without a break inside; ``space`` when a space separates it from the piece before,
     *  ``brk`` when the publication breaks the line before it. */
    static final class Piece { final List<Seg> segs = new ArrayList<>(); boolean space, brk; double w; }

    static final class Style {
        final Font base, small; final double px;
        Style(String path, double pt) {
            Font f = FACES.computeIfAbsent(path, p -> {
                try { return Font.createFont(Font.TRUETYPE_FONT, new File(p)); }
                catch (Exception e) { throw new RuntimeException(p + ": " + e); }
            });
            px = pt * DPI / 72.0;
            base = f.deriveFont((float) px);
            small = f.deriveFont((float) (px * 0.68));
        }
        double width(Seg g) { return (g.style == 0 ? base : small).getStringBounds(g.text, FRC).getWidth(); }
        double width(Piece p) { double w = 0; for (Seg g : p.segs) w += width(g); return w; }
        double space() { return base.getStringBounds(" ", FRC).getWidth(); }
        double line() { return px * 1.22; }
    }

    /** Runs to pieces: words at spaces; a word also splits after - , / ) ] } ; (glued: no space). */
    static List<Piece> pieces(List<Seg> runs, Style st) {
        List<Piece> out = new ArrayList<>();
        Piece cur = null; boolean pendingSpace = false, pendingBreak = false;
        for (Seg g : runs) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < g.text.length(); k++) {
                char c = g.text.charAt(k);
                if (Character.isWhitespace(c)) {
                    if (b.length() > 0) { cur.segs.add(new Seg(b.toString(), g.style)); b.setLength(0); }
                    cur = null; pendingSpace = true; pendingBreak |= c == '\n'; continue;
                }
                if (cur == null) {
                    cur = new Piece(); cur.space = pendingSpace && !out.isEmpty(); cur.brk = pendingBreak && !out.isEmpty();
                    pendingSpace = pendingBreak = false; out.add(cur);
                }
                b.append(c);
                if ("-,/)]};".indexOf(c) >= 0 && k + 1 < g.text.length() && !Character.isWhitespace(g.text.charAt(k + 1))) {
                    cur.segs.add(new Seg(b.toString(), g.style)); b.setLength(0);
                    cur = new Piece(); cur.space = false; out.add(cur);
                }
            }
            if (b.length() > 0) cur.segs.add(new Seg(b.toString(), g.style));
        }
        out.removeIf(p -> p.segs.isEmpty());
        for (Piece p : out) p.w = st.width(p);
        return out;
    }

    /** Greedy lines no wider than ``width`` (a piece wider than a line stands alone). */
    static List<List<Piece>> wrap(List<Piece> ps, double width, Style st) {
        List<List<Piece>> lines = new ArrayList<>();
        List<Piece> line = new ArrayList<>(); double w = 0, sp = st.space();
        for (Piece p : ps) {
            double add = (line.isEmpty() ? 0 : (p.space ? sp : 0)) + p.w;
            if (!line.isEmpty() && (p.brk || w + add > width + 0.01)) { lines.add(line); line = new ArrayList<>(); w = 0; add = p.w; }
            line.add(p); w += add;
        }
        if (!line.isEmpty()) lines.add(line);
        if (lines.isEmpty()) lines.add(new ArrayList<>());
        return lines;
    }

    /** The widest stretch between the publication's own line breaks, set on one line. */
    static double natural(List<Piece> ps, Style st) {
        double best = 0, w = 0;
        for (int k = 0; k < ps.size(); k++) {
            Piece p = ps.get(k);
            if (p.brk) w = 0;
            w += (k > 0 && !p.brk && p.space ? st.space() : 0) + p.w;
            best = Math.max(best, w);
        }
        return best;
    }

    static double lineWidth(List<Piece> line, Style st) {
        double w = 0;
        for (int k = 0; k < line.size(); k++) w += (k > 0 && line.get(k).space ? st.space() : 0) + line.get(k).w;
        return w;
    }

    // ------------------------------------------------------------------ drawing
    static final class Pen {
        final Graphics2D g; final StringBuilder said = new StringBuilder(), missing = new StringBuilder();
        Pen(Graphics2D g) { this.g = g; }
        void seg(Seg s, Style st, double x, double y) {
            int bad = (s.style == 0 ? st.base : st.small).canDisplayUpTo(s.text);
            if (bad >= 0) missing.append(s.text.charAt(bad));
            if (g != null) {
                g.setFont(s.style == 0 ? st.base : st.small);
                double dy = s.style == 1 ? -0.36 * st.px : s.style == 2 ? 0.2 * st.px : 0;
                g.drawString(s.text, (float) x, (float) (y + dy));
            }
            said.append(s.text).append('\u241F');
        }
        /** One line at baseline y from x; ``extra`` added at each space (justification). */
        void line(List<Piece> line, Style st, double x, double y, double extra) {
            for (int k = 0; k < line.size(); k++) {
                Piece p = line.get(k);
                if (k > 0 && p.space) x += st.space() + extra;
                for (Seg s : p.segs) { seg(s, st, x, y); x += st.width(s); }
            }
        }
    }

    static List<Seg> runs(Object spec) {
        List<Seg> out = new ArrayList<>();
        for (Object o : arr(spec)) { List<Object> r = arr(o); out.add(new Seg((String) r.get(0), (int) num(r.get(1)))); }
        return out;
    }

    /** A justified paragraph (last line ragged); returns the y under it. Draws only when pen has a Graphics. */
    static double paragraph(Pen pen, List<Seg> runs, Style st, double x0, double x1, double y, String align) {
        List<List<Piece>> lines = wrap(pieces(runs, st), x1 - x0, st);
        for (int k = 0; k < lines.size(); k++) {
            List<Piece> ln = lines.get(k);
            double lw = lineWidth(ln, st), base = y + st.px * 0.95;
            int gaps = 0; for (int q = 1; q < ln.size(); q++) if (ln.get(q).space) gaps++;
            if (align.equals("center")) pen.line(ln, st, x0 + (x1 - x0 - lw) / 2, base, 0);
            else if (align.equals("justify") && k < lines.size() - 1 && gaps > 0) pen.line(ln, st, x0, base, (x1 - x0 - lw) / gaps);
            else pen.line(ln, st, x0, base, 0);
            y += st.line();
        }
        return y;
    }

    // ------------------------------------------------------------------ a table
    static final class Cell { int r, c, rs, cs; String align; List<Seg> runs; boolean head; List<List<Piece>> lines; Style st; }

    static final class Page {
        Map<String, Object> spec; String ruling; int cols, head; List<Cell> cells = new ArrayList<>(); int rows;
        Style body, bold, note, cell, cellBold;
    }

    static double[] columnWidths(Page p, double avail) {
        double[] nat = new double[p.cols], min = new double[p.cols];
        double pad = 2 * 1.5 * MM;
        for (Cell c : p.cells) {
            List<Piece> ps = pieces(c.runs, c.st);
            double lw = natural(ps, c.st), pw = 0;
            for (Piece q : ps) pw = Math.max(pw, q.w);
            if (c.cs == 1) { nat[c.c] = Math.max(nat[c.c], lw + pad); min[c.c] = Math.max(min[c.c], pw + pad); }
        }
        for (int k = 0; k < p.cols; k++) { nat[k] = Math.max(nat[k], 6 * MM); min[k] = Math.max(min[k], 6 * MM); }
        double sn = 0, sm = 0; for (int k = 0; k < p.cols; k++) { sn += nat[k]; sm += min[k]; }
        if (sm > avail) return null;
        double[] w = new double[p.cols];
        if (sn <= avail) {  // natural widths; a table far narrower than the line gets a little air
            double air = Math.min((avail - sn) / p.cols, 7 * MM);
            for (int k = 0; k < p.cols; k++) w[k] = nat[k] + air;
        } else {             // each column its longest piece, the rest shared by what it would still take
            double room = avail - sm, want = sn - sm;
            for (int k = 0; k < p.cols; k++) w[k] = min[k] + room * (nat[k] - min[k]) / want;
        }
        // a spanning cell whose longest piece does not fit its columns widens the last of them
        for (Cell c : p.cells) if (c.cs > 1) {
            double have = 0; for (int k = c.c; k < c.c + c.cs; k++) have += w[k];
            double pw = 0; for (Piece q : pieces(c.runs, c.st)) pw = Math.max(pw, q.w);
            if (pw + pad > have) w[c.c + c.cs - 1] += pw + pad - have;
        }
        return w;
    }

    static Page read(Map<String, Object> spec, double cellPt) {
        Page p = new Page();
        p.spec = spec;
        p.ruling = (String) spec.get("ruling");
        p.cols = (int) num(spec.get("cols"));
        p.head = (int) num(spec.get("head"));
        Map<String, Object> f = obj(spec.get("fonts"));
        double bodyPt = num(spec.get("body_pt"));
        p.body = new Style((String) f.get("regular"), bodyPt);
        p.bold = new Style((String) f.get("bold"), bodyPt);
        p.note = new Style((String) f.get("regular"), num(spec.get("note_pt")));
        p.cell = new Style((String) f.get("regular"), cellPt);
        p.cellBold = new Style((String) f.get("bold"), cellPt);
        for (Object o : arr(spec.get("cells"))) {
            Map<String, Object> m = obj(o);
            Cell c = new Cell();
            c.r = (int) num(m.get("r")); c.c = (int) num(m.get("c"));
            c.rs = (int) num(m.get("rs")); c.cs = (int) num(m.get("cs"));
            c.align = (String) m.get("align"); c.runs = runs(m.get("runs"));
            c.head = c.r < p.head; c.st = c.head ? p.cellBold : p.cell;
            p.cells.add(c);
            p.rows = Math.max(p.rows, c.r + c.rs);
        }
        return p;
    }

    /** Sets (or only measures) the page with its first ``body`` body rows; returns the y under the last text. */
    static double set(Page p, int body, Pen pen, double[] w) {
        Map<String, Object> s = p.spec;
        int nrows = p.head + body;
        double y = 14 * MM;
        y = paragraph(pen, runs(s.get("running")), p.body, LEFT, RIGHT, y, "center");
        y = TOP;
        y = paragraph(pen, runs(s.get("before")), p.body, LEFT, RIGHT, y, "justify");
        y += p.body.line() * 0.9;
        y = paragraph(pen, runs(s.get("caption")), p.bold, LEFT + 10 * MM, RIGHT - 10 * MM, y, "center");
        y += p.body.line() * 0.45;
        double tw = 0; for (double v : w) tw += v;
        double x0 = LEFT + (RIGHT - LEFT - tw) / 2;
        double[] xs = new double[p.cols + 1]; xs[0] = x0;
        for (int k = 0; k < p.cols; k++) xs[k + 1] = xs[k] + w[k];
        double hpad = 1.5 * MM, vpad = 0.8 * MM, lh = p.cell.line();
        List<Cell> live = new ArrayList<>();
        for (Cell c : p.cells) if (c.r < nrows) live.add(c);
        double[] need = new double[nrows];
        for (Cell c : live) {
            c.lines = wrap(pieces(c.runs, c.st), xs[c.c + c.cs] - xs[c.c] - 2 * hpad, c.st);
            if (Math.min(c.rs, nrows - c.r) == 1) need[c.r] = Math.max(need[c.r], c.lines.size() * lh + 2 * vpad);
        }
        for (int r = 0; r < nrows; r++) need[r] = Math.max(need[r], lh + 2 * vpad);
        for (Cell c : live) {
            int last = Math.min(c.r + c.rs, nrows) - 1;
            if (last == c.r) continue;
            double have = 0; for (int r = c.r; r <= last; r++) have += need[r];
            double want = c.lines.size() * lh + 2 * vpad;
            if (want > have) need[last] += want - have;
        }
        double[] ys = new double[nrows + 1]; ys[0] = y;
        for (int r = 0; r < nrows; r++) ys[r + 1] = ys[r] + need[r];
        for (Cell c : live) {
            double cx0 = xs[c.c] + hpad, cx1 = xs[c.c + c.cs] - hpad;
            double ty = ys[c.r] + vpad;
            for (List<Piece> ln : c.lines) {
                double lw = lineWidth(ln, c.st), x = cx0;
                if (c.align.equals("center")) x = (cx0 + cx1 - lw) / 2;
                else if (c.align.equals("right")) x = cx1 - lw;
                pen.line(ln, c.st, x, ty + c.st.px * 0.93, 0);
                ty += lh;
            }
        }
        if (pen.g != null && !p.ruling.equals("unruled")) {
            Graphics2D g = pen.g;
            float thin = 1.7f, heavy = 2.9f;
            if (p.ruling.equals("ruled")) {
                g.setStroke(new BasicStroke(thin, BasicStroke.CAP_SQUARE, BasicStroke.JOIN_MITER));
                for (Cell c : live) {
                    double a = xs[c.c], b = xs[c.c + c.cs], t = ys[c.r], u = ys[Math.min(c.r + c.rs, nrows)];
                    g.draw(new java.awt.geom.Rectangle2D.Double(a, t, b - a, u - t));
                }
                g.setStroke(new BasicStroke(heavy));
                g.draw(new java.awt.geom.Rectangle2D.Double(xs[0], ys[0], xs[p.cols] - xs[0], ys[nrows] - ys[0]));
                if (p.head > 0) g.draw(new java.awt.geom.Line2D.Double(xs[0], ys[p.head], xs[p.cols], ys[p.head]));
            } else {
                g.setStroke(new BasicStroke(heavy));
                int[] at = p.head > 0 ? new int[] {0, p.head, nrows} : new int[] {0, nrows};
                for (int r : at) g.draw(new java.awt.geom.Line2D.Double(xs[0], ys[r], xs[p.cols], ys[r]));
            }
        }
        y = ys[nrows] + 0.8 * MM;
        for (Object n : arr(s.get("notes"))) y = paragraph(pen, runs(n), p.note, Math.min(xs[0], LEFT + 8 * MM), Math.max(xs[p.cols], RIGHT - 8 * MM), y, "left");
        y += p.body.line() * 0.9;
        y = paragraph(pen, runs(s.get("after")), p.body, LEFT, RIGHT, y, "justify");
        paragraph(pen, runs(s.get("folio")), p.body, LEFT, RIGHT, H - 16 * MM, "center");
        return y;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Map<String, Object> spec = obj(new Json(new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8)).value());
        try (Writer rep = new OutputStreamWriter(new FileOutputStream(args[1]), StandardCharsets.UTF_8)) {
            for (Object o : arr(spec.get("pages"))) {
                Map<String, Object> s = obj(o);
                double pt = num(s.get("cell_pt"));
                Page p = read(s, pt);
                double[] w = columnWidths(p, RIGHT - LEFT);
                while (w == null && pt > 6.6) { pt -= 0.5; p = read(s, pt); w = columnWidths(p, RIGHT - LEFT); }
                if (w == null) { rep.write(s.get("out") + "\t0\t0\t" + pt + "\t\t\n"); continue; }
                int body = p.rows - p.head;
                Object want = s.get("body");
                if (want != null) body = Math.min(body, (int) num(want));
                int fit = body;
                while (fit > 0 && set(p, fit, new Pen(null), w) > BOTTOM) fit--;
                boolean fits = fit == body;
                if (s.get("mode").equals("draw")) {
                    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
                    Graphics2D g = img.createGraphics();
                    g.setColor(Color.WHITE); g.fillRect(0, 0, W, H);
                    g.setColor(Color.BLACK);
                    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
                    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                    Pen pen = new Pen(g);
                    set(p, fit, pen, w);
                    g.dispose();
                    ImageIO.write(img, "png", new File((String) s.get("out")));
                    rep.write(s.get("out") + "\t" + (fits ? 1 : 0) + "\t" + fit + "\t" + pt + "\t" + pen.said.toString().replace('\t', ' ').replace('\n', ' ') + "\t" + pen.missing + "\n");
                } else {
                    rep.write(s.get("out") + "\t" + (fits ? 1 : 0) + "\t" + fit + "\t" + pt + "\t\t\n");
                }
            }
        }
    }
}
