// The page composer of bench/sealed_es6.py (the sixth sealed Spanish page set): Java 2D.
//
//   java -Djava.awt.headless=true -cp build/sealed-es6-java Compose SPEC.json
//
// SPEC.json (written by sealed_es6.py) names the font files, an output folder and every page:
// its size, margins, columns, running head, footer and the blocks of text to set. For each page
// this program breaks the blocks into lines itself (FontMetrics of the font files, a total-fit
// line breaker over word and syllable breaks, its own Spanish syllabification), justifies them,
// fills the columns, draws every word with Graphics2D.drawString on a 300-dpi grey BufferedImage
// and writes OUT/<name>.png and OUT/<name>.txt: the lines as typeset, one a line, in reading
// order (head, title, first column, second column, footer), a word broken at a line end keeping
// its "-". It prints one line a page: "<name> <lines> <blocks set>".
//
// No library but the JDK: the small JSON reader below is this file's own.

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

public class Compose {

    // ------------------------------------------------------------------ JSON (objects, arrays,
    // strings, numbers, true/false/null): enough for the spec this module's Python writes.

    static final class Json {
        final String s;
        int i;

        Json(String s) { this.s = s; }

        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int j = i;
            while (j < s.length() && "+-0123456789.eE".indexOf(s.charAt(j)) >= 0) j++;
            double d = Double.parseDouble(s.substring(i, j));
            i = j;
            return d;
        }

        void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (s.charAt(i) == '}') { i++; return m; }
            while (true) {
                ws();
                String k = string();
                ws();
                i++; // ':'
                m.put(k, value());
                ws();
                if (s.charAt(i++) == '}') return m;
            }
        }

        List<Object> array() {
            List<Object> a = new ArrayList<>();
            i++;
            ws();
            if (s.charAt(i) == ']') { i++; return a; }
            while (true) {
                a.add(value());
                ws();
                if (s.charAt(i++) == ']') return a;
            }
        }

        String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    static List<Object> arr(Object o) { return o == null ? new ArrayList<>() : (List<Object>) o; }

    static double num(Map<String, Object> m, String k, double dflt) {
        Object o = m.get(k);
        return o == null ? dflt : (Double) o;
    }

    static String str(Map<String, Object> m, String k, String dflt) {
        Object o = m.get(k);
        return o == null ? dflt : (String) o;
    }

    // ------------------------------------------------------------------ Spanish syllable breaks

    static boolean vowel(char c) { return "aeiouáéíóúü".indexOf(c) >= 0; }

    static final String[] ONSETS = {"pl", "bl", "fl", "cl", "kl", "gl", "pr", "br", "fr", "cr", "kr", "gr", "tr",
                                    "dr", "tl", "ch", "ll", "rr", "qu", "gu"};

    static boolean onset(String two) {
        for (String o : ONSETS) if (o.equals(two)) return true;
        return false;
    }

    /** Places inside the letters of {@code w} where a Spanish word may be broken: between the
     *  syllables of the written word (one consonant goes with the following vowel; two are
     *  parted unless they open a syllable together, as "pr", "bl", "ch", "ll", "rr" or the Mexican
     *  "tl"; of three or four, the last onset or the last consonant goes on), never inside a run
     *  of vowels (diphthongs and hiatus alike), the "u" of "que", "qui", "gue", "gui" being part
     *  of its consonant; 2 letters at least before the break and 3 after it. */
    static List<Integer> syllableBreaks(String w) {
        String s = w.toLowerCase();
        int n = s.length();
        boolean[] v = new boolean[n];
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            v[k] = vowel(c);
            if (c == 'u' && k > 0 && (s.charAt(k - 1) == 'q' || s.charAt(k - 1) == 'g') && k + 1 < n
                    && "eéií".indexOf(s.charAt(k + 1)) >= 0) v[k] = false;
            if (c == 'y' && (k == n - 1 || (k + 1 < n && !vowel(s.charAt(k + 1))))) v[k] = k > 0;
        }
        List<Integer> out = new ArrayList<>();
        int k = 0;
        while (k < n && !v[k]) k++;
        while (k < n) {
            while (k < n && v[k]) k++;         // the nucleus
            int c0 = k;
            while (k < n && !v[k]) k++;        // the consonants after it
            if (k >= n) break;                 // final consonants stay
            int len = k - c0;
            int at;
            if (len == 0) continue;
            else if (len == 1) at = c0;
            else if (len == 2) at = onset(s.substring(c0, c0 + 2)) ? c0 : c0 + 1;
            else if (len == 3) at = onset(s.substring(c0 + 1, c0 + 3)) ? c0 + 1 : c0 + 2;
            else at = onset(s.substring(k - 2, k)) ? k - 2 : k - 1;
            if (at >= 2 && n - at >= 3) out.add(at);
        }
        return out;
    }

    /** The (head-with-hyphen, rest) pairs a token may be broken into at a line end, in order. */
    static List<String[]> splits(String tok) {
        List<String[]> out = new ArrayList<>();
        int a = 0, b = tok.length();
        while (a < b && "([«\"“'¿¡".indexOf(tok.charAt(a)) >= 0) a++;
        while (b > a && ")]»\"”'.,;:?!".indexOf(tok.charAt(b - 1)) >= 0) b--;
        String core = tok.substring(a, b);
        if (core.length() < 5) return out;
        boolean lower = false;
        for (int k = 0; k < core.length(); k++) {
            char c = core.charAt(k);
            if (!Character.isLetter(c)) return out;
            if (Character.isLowerCase(c)) lower = true;
        }
        if (!lower) return out;
        for (int at : syllableBreaks(core)) {
            if (Character.isUpperCase(core.charAt(at))) continue;
            out.add(new String[]{tok.substring(0, a + at) + "-", tok.substring(a + at)});
        }
        return out;
    }

    // ------------------------------------------------------------------ fonts and measuring

    static final Map<String, Font> FONTS = new HashMap<>();
    static final FontRenderContext FRC = new FontRenderContext(new AffineTransform(), true, true);
    static final Map<String, Double> WIDTHS = new HashMap<>();

    static Font font(String key, double pt) {
        return FONTS.get(key).deriveFont((float) pt);
    }

    /** Advance of {@code s} in points, at {@code pt} points, in font {@code key}. */
    static double width(String key, double pt, String s) {
        String k = key + "\u0000" + s;
        Double w = WIDTHS.get(k);
        if (w == null) {
            w = font(key, 100.0).getStringBounds(s, FRC).getWidth() / 100.0;
            WIDTHS.put(k, w);
        }
        return w * pt;
    }

    // ------------------------------------------------------------------ line breaking

    /** A word of a line as it will be drawn. */
    static final class Piece {
        final String text, font;
        double x;

        Piece(String text, String font) { this.text = text; this.font = font; }
    }

    static final class Line {
        final List<Piece> pieces = new ArrayList<>();
        double x, width, size;
        String align;

        String text() {
            StringBuilder b = new StringBuilder();
            for (Piece p : pieces) { if (b.length() > 0) b.append(' '); b.append(p.text); }
            return b.toString();
        }
    }

    /** A break opportunity: after word {@code word} (whole, {@code part} == -1) or inside it, after
     *  its split {@code part}. */
    static final class Brk {
        final int word, part;
        double cost = Double.MAX_VALUE;
        int prev = -1;
        boolean hyphen;

        Brk(int word, int part) { this.word = word; this.part = part; }
    }

    /** Break one paragraph into lines of width {@code w} (first line {@code w - first}, the others
     *  {@code w - rest}), minimising the sum over its lines of the cube of how far each line's
     *  spaces must stretch or shrink, plus a penalty for each hyphen (more for two in a row). */
    static List<Line> breakParagraph(String[] words, String[] fonts, double pt, double x, double w, double first,
                                     double rest, String align, boolean hyphenate) {
        int n = words.length;
        List<List<String[]>> sp = new ArrayList<>();
        for (int k = 0; k < n; k++)
            sp.add(hyphenate && !fonts[k].endsWith("-bold") ? splits(words[k]) : new ArrayList<>());
        List<Brk> brks = new ArrayList<>();
        brks.add(new Brk(-1, -1));
        for (int k = 0; k < n; k++) {
            for (int p = 0; p < sp.get(k).size(); p++) { Brk b = new Brk(k, p); b.hyphen = true; brks.add(b); }
            brks.add(new Brk(k, -1));
        }
        brks.get(0).cost = 0;
        double space = width(fonts[0], pt, " ");
        boolean ragged = !align.equals("justify");
        int[] lineNo = new int[brks.size()];
        for (int j = 1; j < brks.size(); j++) {
            Brk bj = brks.get(j);
            boolean last = j == brks.size() - 1;
            for (int i = j - 1; i >= 0; i--) {
                Brk bi = brks.get(i);
                if (bi.cost == Double.MAX_VALUE) continue;
                if (bi.word == bj.word && bi.part >= 0 && bj.part >= 0) continue; // two breaks in one word
                List<String> toks = lineTokens(words, sp, bi, bj);
                if (toks.isEmpty()) continue;
                double avail = w - (lineNo[i] == 0 ? first : rest);
                double nat = 0;
                int a = lineStart(bi);
                for (int t = 0; t < toks.size(); t++) nat += width(fonts[Math.min(a + t, n - 1)], pt, toks.get(t));
                int gaps = toks.size() - 1;
                nat += gaps * space;
                double slack = avail - nat;
                double bad;
                if (slack < 0) {
                    if (gaps == 0 && i == j - 1) bad = 1e6;                       // one overlong word
                    else if (!ragged && -slack <= gaps * space * 0.22) bad = 100 * Math.pow(-slack / (gaps * space * 0.22), 3);
                    else break;                                                   // longer lines only get longer
                } else if (last) {
                    bad = 0;
                } else if (ragged) {
                    bad = 100 * Math.pow(slack / Math.max(avail * 0.12, 1), 2);
                } else {
                    bad = gaps == 0 ? 1e4 : 100 * Math.pow(slack / (gaps * space * 0.8), 3);
                    if (bad > 5000) bad = 5000 + slack;
                }
                double pen = bj.hyphen ? 60 : 0;
                if (bj.hyphen && bi.hyphen) pen += 300;
                double c = bi.cost + bad + pen + 1;
                if (c < bj.cost) { bj.cost = c; bj.prev = i; lineNo[j] = lineNo[i] + 1; }
            }
        }
        List<Integer> chain = new ArrayList<>();
        for (int j = brks.size() - 1; j > 0; j = brks.get(j).prev) {
            if (brks.get(j).prev < 0) throw new IllegalStateException("no way to break: " + String.join(" ", words));
            chain.add(0, j);
        }
        List<Line> lines = new ArrayList<>();
        int from = 0;
        for (int idx = 0; idx < chain.size(); idx++) {
            int j = chain.get(idx);
            Brk bi = brks.get(from), bj = brks.get(j);
            List<String> toks = lineTokens(words, sp, bi, bj);
            Line ln = new Line();
            ln.size = pt;
            double ind = lines.isEmpty() ? first : rest;
            ln.x = x + ind;
            ln.width = w - ind;
            boolean last = idx == chain.size() - 1;
            ln.align = last && align.equals("justify") ? "left" : align;
            int a = lineStart(bi);
            for (int t = 0; t < toks.size(); t++) ln.pieces.add(new Piece(toks.get(t), fonts[Math.min(a + t, n - 1)]));
            place(ln);
            lines.add(ln);
            from = j;
        }
        return lines;
    }

    static int lineStart(Brk b) { return b.part >= 0 ? b.word : b.word + 1; }

    /** The tokens of the line that runs from after break {@code a} to break {@code b}. */
    static List<String> lineTokens(String[] words, List<List<String[]>> sp, Brk a, Brk b) {
        List<String> toks = new ArrayList<>();
        int start = lineStart(a);
        int end = b.word;
        for (int k = start; k <= end; k++) {
            String t = words[k];
            if (k == start && a.part >= 0) t = sp.get(k).get(a.part)[1];
            if (k == end && b.part >= 0) {
                String[] s = sp.get(k).get(b.part);
                if (k == start && a.part >= 0) return new ArrayList<>();
                t = s[0];
            }
            toks.add(t);
        }
        return toks;
    }

    static void place(Line ln) {
        double nat = 0;
        double[] ws = new double[ln.pieces.size()];
        for (int k = 0; k < ws.length; k++) { ws[k] = width(ln.pieces.get(k).font, ln.size, ln.pieces.get(k).text); nat += ws[k]; }
        double space = width(ln.pieces.get(0).font, ln.size, " ");
        int gaps = ws.length - 1;
        nat += gaps * space;
        double gap = space, x = ln.x;
        if (ln.align.equals("justify") && gaps > 0) gap = space + (ln.width - nat) / gaps;
        else if (ln.align.equals("center")) x = ln.x + (ln.width - nat) / 2;
        else if (ln.align.equals("right")) x = ln.x + ln.width - nat;
        for (int k = 0; k < ws.length; k++) { ln.pieces.get(k).x = x; x += ws[k] + gap; }
    }

    // ------------------------------------------------------------------ pages

    static final class Placed {
        final Line line;
        final double y;

        Placed(Line line, double y) { this.line = line; this.y = y; }
    }

    static Line single(String text, String fontKey, double pt, double x, double w, String align) {
        Line ln = new Line();
        ln.size = pt;
        ln.x = x;
        ln.width = w;
        ln.align = align;
        for (String t : text.trim().split("\\s+")) ln.pieces.add(new Piece(t, fontKey));
        place(ln);
        return ln;
    }

    static List<Line> lay(Map<String, Object> b, double x, double w) {
        String text = str(b, "text", "");
        String font = str(b, "font", "");
        String prefix = str(b, "prefix", "");
        String prefixFont = str(b, "prefix_font", font);
        double pt = num(b, "size", 10);
        List<String> ws = new ArrayList<>();
        List<String> fs = new ArrayList<>();
        if (!prefix.isEmpty()) { ws.add(prefix); fs.add(prefixFont); }
        for (String t : text.trim().split("\\s+")) { ws.add(t); fs.add(font); }
        double first = num(b, "first", 0), rest = num(b, "rest", 0);
        if (num(b, "hang", 0) > 0 && !prefix.isEmpty())
            rest = first + width(prefixFont, pt, prefix) + width(font, pt, " ");
        return breakParagraph(ws.toArray(new String[0]), fs.toArray(new String[0]), pt, x, w, first, rest,
                str(b, "align", "justify"), Boolean.TRUE.equals(b.get("hyphenate")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> spec = obj(new Json(new String(Files.readAllBytes(new File(args[0]).toPath()),
                StandardCharsets.UTF_8)).value());
        for (Map.Entry<String, Object> e : obj(spec.get("fonts")).entrySet()) {
            String path = (String) e.getValue();
            int type = path.endsWith(".pfb") ? Font.TYPE1_FONT : Font.TRUETYPE_FONT;
            FONTS.put(e.getKey(), Font.createFont(type, new File(path)));
        }
        File out = new File((String) spec.get("out"));
        out.mkdirs();
        for (Object po : arr(spec.get("pages"))) page(obj(po), out);
    }

    static void page(Map<String, Object> p, File out) throws Exception {
        String name = str(p, "name", "page");
        double dpi = num(p, "dpi", 300), pw = num(p, "width", 595.28), ph = num(p, "height", 841.89);
        double left = num(p, "left", 72), right = num(p, "right", 72), top = num(p, "top", 90), bottom = num(p, "bottom", 72);
        int cols = (int) num(p, "columns", 1);
        double gutter = num(p, "gutter", 18), lead = num(p, "lead", 13);
        double textW = pw - left - right;
        double colW = (textW - (cols - 1) * gutter) / cols;

        List<Placed> head = new ArrayList<>(), title = new ArrayList<>(), foot = new ArrayList<>();
        List<List<Placed>> columns = new ArrayList<>();
        for (int c = 0; c < cols; c++) columns.add(new ArrayList<>());
        List<double[]> rules = new ArrayList<>();

        for (Object ho : arr(p.get("head"))) {           // running-head items: text, font, size, align, y
            Map<String, Object> h = obj(ho);
            head.add(new Placed(single(str(h, "text", ""), str(h, "font", ""), num(h, "size", 9), left, textW,
                    str(h, "align", "left")), num(h, "y", 50)));
        }
        for (Object ro : arr(p.get("rules"))) {          // horizontal rules: y, weight (points)
            Map<String, Object> r = obj(ro);
            rules.add(new double[]{left, num(r, "y", 60), left + textW, num(r, "weight", 0.8)});
        }
        double y0 = top;
        Map<String, Object> t = p.get("title") == null ? null : obj(p.get("title"));
        if (t != null) {                                  // a full-width title over the columns
            double y = top;
            for (Line ln : lay(t, left + 24, textW - 48)) { title.add(new Placed(ln, y)); y += num(t, "lead", lead * 1.2); }
            y0 = y + num(t, "after", lead);
        }
        for (Object fo : arr(p.get("foot"))) {
            Map<String, Object> f = obj(fo);
            foot.add(new Placed(single(str(f, "text", ""), str(f, "font", ""), num(f, "size", 9), left, textW,
                    str(f, "align", "center")), num(f, "y", ph - 40)));
        }

        int col = 0, blocksSet = 0;
        double y = y0;
        boolean full = false;
        for (Object bo : arr(p.get("blocks"))) {
            Map<String, Object> b = obj(bo);
            double x = left + col * (colW + gutter);
            List<Line> lines = lay(b, 0, colW);
            double before = num(b, "before", 0);
            int keep = (int) Math.min(num(b, "keep", 2), lines.size());
            boolean atTop = columns.get(col).isEmpty();
            if (!atTop) y += before;
            if (y + (keep - 1) * lead > ph - bottom) {    // not even `keep` lines fit: next column
                col++;
                if (col >= cols) { full = true; break; }
                y = y0;
            }
            for (int k = 0; k < lines.size(); k++) {
                if (y > ph - bottom) {
                    int left_ = lines.size() - k;
                    col++;
                    if (col >= cols) { full = true; break; }
                    y = y0;
                    if (left_ < 0) break;
                }
                Line ln = lines.get(k);
                double cx = left + col * (colW + gutter);
                for (Piece pc : ln.pieces) pc.x += cx;
                columns.get(col).add(new Placed(ln, y));
                y += lead;
            }
            if (full) break;
            blocksSet++;
        }

        int W = (int) Math.round(pw / 72.0 * dpi), H = (int) Math.round(ph / 72.0 * dpi);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(dpi / 72.0, dpi / 72.0);
        g.setColor(new Color((int) num(p, "ink", 0), (int) num(p, "ink", 0), (int) num(p, "ink", 0)));
        StringBuilder truth = new StringBuilder();
        List<Placed> all = new ArrayList<>(head);
        all.addAll(title);
        for (List<Placed> c : columns) all.addAll(c);
        all.addAll(foot);
        for (Placed pl : all) {
            for (Piece pc : pl.line.pieces) {
                g.setFont(font(pc.font, pl.line.size));
                g.drawString(pc.text, (float) pc.x, (float) pl.y);
            }
            truth.append(pl.line.text()).append('\n');
        }
        for (double[] r : rules) g.fill(new java.awt.geom.Rectangle2D.Double(r[0], r[1], r[2] - r[0], r[3]));
        g.dispose();
        ImageIO.write(img, "png", new File(out, name + ".png"));
        Files.write(new File(out, name + ".txt").toPath(), truth.toString().getBytes(StandardCharsets.UTF_8));
        int nLines = 0;
        for (List<Placed> c : columns) nLines += c.size();
        System.out.println(name + " " + nLines + " " + blocksSet);
    }
}
