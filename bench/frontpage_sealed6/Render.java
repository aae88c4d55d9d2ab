// The sixth sealed front-page set's typesetter (bench/frontpage_sealed6.py writes its spec).
//
//   java -Djava.awt.headless=true -cp build/frontpage-sealed6/classes Render SPEC.json OUTDIR
//
// SPEC.json: {"pages": [page, ...]}; each page names its faces (.ttf files, loaded with
// Font.createFont), its type size, its layout ("one", "two", "rows": a ruled table of code | label |
// value, "cells": the gazette's boxes, two short fields a row) and its blocks (an INID code, a label,
// and a value: a string, or party entries, each a list of lines). This program breaks the lines
// itself from the face's FontMetrics (greedy, at spaces only; U+00A0 never breaks), draws them with
// Graphics2D.drawString, antialiased, on a 300-dpi TYPE_BYTE_GRAY BufferedImage turned by the
// page's skew, and writes OUTDIR/NAME.png and OUTDIR/NAME.txt (the size used, then every string
// drawn, one a line: the truth check reads them). A page that runs past the bottom margin is set
// again half a point smaller.
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

public class Render {
    static final double DPI = 300.0;
    static final double MM = DPI / 25.4;          // px per mm
    static final double PT = DPI / 72.0;          // px per point

    // ------------------------------------------------------------------ a small JSON reader
    static final class Json {
        final String s;
        int i;
        Json(String s) { this.s = s; }
        void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++; ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    ws(); String k = str(); ws(); i++; // ':'
                    m.put(k, value()); ws();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++; ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value()); ws();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            if (c == '"') return str();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int j = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            return Double.parseDouble(s.substring(j, i));
        }
        String str() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
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

    @SuppressWarnings("unchecked") static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }
    @SuppressWarnings("unchecked") static List<Object> list(Object o) { return (List<Object>) o; }
    static double num(Map<String, Object> m, String k, double d) { Object o = m.get(k); return o == null ? d : (Double) o; }
    static String str(Map<String, Object> m, String k, String d) { Object o = m.get(k); return o == null ? d : (String) o; }
    static boolean bool(Map<String, Object> m, String k) { return Boolean.TRUE.equals(m.get(k)); }

    // ------------------------------------------------------------------ faces
    static final Map<String, Font> BASE = new HashMap<>();
    static Font face(String path) throws Exception {
        Font f = BASE.get(path);
        if (f == null) {
            f = Font.createFont(Font.TRUETYPE_FONT, new File(path));
            BASE.put(path, f);
        }
        return f;
    }

    // ------------------------------------------------------------------ one page
    static final class Page {
        final Map<String, Object> spec;
        Graphics2D g;
        Font reg, bold;
        double size, pitch;               // px
        final List<String> drawn = new ArrayList<>();
        String inid, labels, mark;
        boolean boldLabels, hang, alignUnder;
        double marginCol;                 // px: the code column when INID codes stand in a margin

        Page(Map<String, Object> spec) { this.spec = spec; }

        double width(String s, Font f) {
            FontMetrics fm = g.getFontMetrics(f);
            return fm.getStringBounds(s, g).getWidth();
        }

        void text(double x, double y, String s, Font f) {
            if (s.isEmpty()) return;
            if (f.canDisplayUpTo(s) != -1) throw new IllegalStateException(f.getFontName() + " has no glyph for " + s);
            g.setFont(f);
            g.drawString(s, (float) x, (float) y);
            drawn.add(s.replace('\u00a0', ' '));
        }

        /** Greedy breaking at spaces: the first row `first` px wide, the rest `rest`. */
        List<String> wrap(String text, Font f, double first, double rest) {
            List<String> rows = new ArrayList<>();
            String cur = "";
            for (String w : text.split(" ", -1)) {
                String trial = cur.isEmpty() ? w : cur + " " + w;
                double lim = rows.isEmpty() ? first : rest;
                if (!cur.isEmpty() && width(trial, f) > lim) {
                    rows.add(cur);
                    cur = w;
                } else {
                    cur = trial;
                }
            }
            rows.add(cur);
            return rows;
        }

        /** Flows text from (x0, y) with later rows at xr; returns the baseline after the last row. */
        double flow(String text, Font f, double x0, double xr, double right, double y) {
            for (String para : text.split("\n", -1)) {
                List<String> rows = wrap(para, f, right - x0, right - xr);
                for (int k = 0; k < rows.size(); k++) {
                    text(k == 0 ? x0 : xr, y, rows.get(k), f);
                    y += pitch;
                }
                x0 = xr;
            }
            return y;
        }

        String code(String c) {
            return inid.equals("bare") ? c : "(" + c + ")";
        }

        /** A value: a string, or party entries (each a list: the entry's text, then its continuation lines). */
        double value(Map<String, Object> b, double x0, double xr, double right, double y) {
            Object v = b.get("value");
            Font f = bool(b, "bold") ? bold : reg;
            if (v instanceof String) return flow((String) v, f, x0, xr, right, y);
            double ind = hang ? 3 * MM : 0;
            boolean first = true;
            for (Object e : list(v)) {
                List<Object> lines = list(e);
                double start = first ? x0 : xr;
                first = false;
                List<String> rows = wrap((String) lines.get(0), f, right - start, right - xr - ind);
                for (int k = 0; k < rows.size(); k++) {
                    text(k == 0 ? start : xr + ind, y, rows.get(k), f);
                    y += pitch;
                }
                for (int k = 1; k < lines.size(); k++) y = flow((String) lines.get(k), f, xr + ind, xr + ind, right, y);
            }
            return y;
        }

        /** A field laid out freely (one or two columns): code, label beside or above, value. */
        double field(Map<String, Object> b, double x, double right, double y) {
            String c = str(b, "code", "");
            String lab = str(b, "label", "");
            Font lf = boldLabels ? bold : reg;
            double cx;
            if (inid.equals("margin")) {
                text(x, y, "(" + c + ")", lf);
                cx = x + marginCol;
            } else {
                String ct = code(c) + " ";
                text(x, y, code(c), lf);
                cx = x + width(ct, lf);
            }
            if (!lab.isEmpty()) lab = lab + mark;
            double first;
            boolean above = labels.equals("above") || c.equals("57");
            if (!lab.isEmpty() && (above || width(lab, lf) > 0.55 * (right - cx))) {
                y = flow(lab, lf, cx, cx, right, y);
                first = cx;
            } else if (!lab.isEmpty()) {
                text(cx, y, lab, lf);
                first = cx + width(lab + "  ", lf);
            } else {
                first = cx;
            }
            double rest = hang || first == cx ? cx : x;
            if (bool(b, "under") && first > cx) { y += pitch; first = cx; }
            if (!(b.get("value") instanceof String) && (first == cx || alignUnder)) rest = first;
            if (c.equals("57")) { rest = x; if (lab.isEmpty()) first = cx; else first = x; }
            if (b.get("value") instanceof String && bool(b, "short") && first + width((String) b.get("value"), reg) > right) {
                y += pitch; first = cx;
            }
            return value(b, first, rest, right, y);
        }

        void rect(double x0, double y0, double x1, double y1) {
            g.draw(new Line2D.Double(x0, y0, x1, y0));
            g.draw(new Line2D.Double(x1, y0, x1, y1));
            g.draw(new Line2D.Double(x1, y1, x0, y1));
            g.draw(new Line2D.Double(x0, y1, x0, y0));
        }

        /** The gazette as a ruled table: a row a field, cells code | label | value. */
        double rows(List<Object> blocks, double left, double right, double y) {
            double codeW = num(spec, "code_mm", 11) * MM, labW = num(spec, "label_mm", 40) * MM, pad = 1.6 * MM;
            Font lf = boldLabels ? bold : reg;
            FontMetrics fm = g.getFontMetrics(reg);
            for (Object o : blocks) {
                Map<String, Object> b = map(o);
                double top = y, base = y + pad + fm.getAscent();
                text(left + pad, base, code(str(b, "code", "")), lf);
                String lab = str(b, "label", "");
                double yl = lab.isEmpty() ? base : flow(lab + mark, lf, left + codeW + pad, left + codeW + pad, left + codeW + labW - pad, base);
                double yv = value(b, left + codeW + labW + pad, left + codeW + labW + pad, right - pad, base);
                double bottom = Math.max(Math.max(yl, yv), base + pitch) - pitch + fm.getDescent() + pad;
                rect(left, top, right, bottom);
                g.draw(new Line2D.Double(left + codeW, top, left + codeW, bottom));
                g.draw(new Line2D.Double(left + codeW + labW, top, left + codeW + labW, bottom));
                y = bottom;
            }
            return y + 3 * MM;
        }

        /** The gazette's boxes: each row of the spec one or two cells, code and label on the first line, the value under. */
        double cells(List<Object> rowsSpec, double left, double right, double y) {
            double pad = 1.8 * MM;
            FontMetrics fm = g.getFontMetrics(reg);
            String keepLabels = labels;
            labels = "above";
            for (Object ro : rowsSpec) {
                List<Object> row = list(ro);
                int n = row.size();
                double w = (right - left) / n, bottom = y;
                for (int k = 0; k < n; k++) {
                    double x0 = left + k * w;
                    double yy = field(map(row.get(k)), x0 + pad, x0 + w - pad, y + pad + fm.getAscent());
                    bottom = Math.max(bottom, yy - pitch + fm.getDescent() + pad);
                }
                for (int k = 0; k < n; k++) rect(left + k * w, y, left + (k + 1) * w, bottom);
                y = bottom;
            }
            labels = keepLabels;
            return y + 3 * MM;
        }

        double compose(double pt) throws Exception {
            drawn.clear();
            Map<String, Object> fonts = map(spec.get("font"));
            size = pt * PT;
            reg = face(str(fonts, "regular", "")).deriveFont((float) size);
            bold = face(str(fonts, "bold", str(fonts, "regular", ""))).deriveFont((float) size);
            double squeeze = num(fonts, "squeeze", 1.0);  // a narrow cut made from the face: glyphs scaled across
            if (squeeze != 1.0) {
                reg = reg.deriveFont(AffineTransform.getScaleInstance(squeeze, 1.0));
                bold = bold.deriveFont(AffineTransform.getScaleInstance(squeeze, 1.0));
            }
            pitch = size * num(spec, "lead", 1.25);
            inid = str(spec, "inid", "paren");
            labels = str(spec, "labels", "beside");
            mark = str(spec, "mark", ":");
            boldLabels = bool(spec, "bold_labels");
            hang = bool(spec, "hang");
            alignUnder = bool(spec, "align");
            marginCol = num(spec, "margin_mm", 12) * MM;
            int w = (int) Math.round(210 * MM), h = (int) Math.round(297 * MM);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            AffineTransform t = new AffineTransform();
            t.rotate(Math.toRadians(num(spec, "angle", 0)), w / 2.0, h / 2.0);
            t.translate(num(spec, "dx_mm", 0) * MM, num(spec, "dy_mm", 0) * MM);
            g.setTransform(t);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke((float) (num(spec, "rule_pt", 0.6) * PT)));

            double left = num(spec, "left_mm", 20) * MM, right = (210 - num(spec, "right_mm", 20)) * MM;
            double y = num(spec, "top_mm", 18) * MM + size;
            for (Object o : list(spec.get("header"))) {
                Map<String, Object> hd = map(o);
                double hs = size + num(hd, "delta", 0) * PT;
                Font f = (bool(hd, "bold") ? bold : reg).deriveFont((float) hs);
                String s = str(hd, "text", "");
                double tw = width(s, f);
                String al = str(hd, "align", "L");
                double x = al.equals("L") ? left : al.equals("R") ? right - tw : (left + right - tw) / 2;
                text(x, y, s, f);
                y += hs * 1.35;
            }
            if (bool(spec, "header_rule")) {
                g.draw(new Line2D.Double(left, y - 0.6 * size, right, y - 0.6 * size));
            }
            y += 0.8 * pitch;
            String layout = str(spec, "layout", "one");
            double gap = pitch * num(spec, "gap", 0.5);
            List<Object> blocks = list(spec.get("blocks"));
            if (layout.equals("one")) {
                for (Object o : blocks) y = field(map(o), left, right, y) + gap;
            } else if (layout.equals("two")) {
                double gut = num(spec, "gutter_mm", 9) * MM;
                double mid = left + (right - left - gut) * num(spec, "split", 0.46);
                double yl = y, yr = y;
                for (Object o : blocks) {
                    Map<String, Object> b = map(o);
                    if (str(b, "col", "L").equals("R")) yr = field(b, mid + gut, right, yr) + gap;
                    else yl = field(b, left, mid, yl) + gap;
                }
                if (bool(spec, "col_rule")) g.draw(new Line2D.Double(mid + gut / 2, y - size, mid + gut / 2, Math.max(yl, yr) - pitch));
                y = Math.max(yl, yr);
            } else if (layout.equals("rows")) {
                y = rows(blocks, left, right, y - size);
                y += size;
            } else {
                y = cells(list(spec.get("cells")), left, right, y - size);
                y += size;
            }
            for (Object o : list(spec.get("tail"))) y = field(map(o), left, right, y + 0.5 * pitch) + gap;
            g.dispose();
            this.image = img;
            return y / MM;
        }

        BufferedImage image;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> root = map(new Json(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)).value());
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (Object o : list(root.get("pages"))) {
            Map<String, Object> spec = map(o);
            String name = str(spec, "name", "page");
            Page p = new Page(spec);
            double pt = num(spec, "pt", 10);
            double bottom = num(spec, "bottom_mm", 282);
            double end = p.compose(pt);
            while (end > bottom && pt > 6.5) {
                pt -= 0.5;
                end = p.compose(pt);
            }
            if (end > bottom) throw new IllegalStateException(name + ": does not fit the page");
            ImageIO.write(p.image, "png", out.resolve(name + ".png").toFile());
            List<String> lines = new ArrayList<>();
            lines.add(String.format(java.util.Locale.ROOT, "#pt %.1f end_mm %.1f", pt, end));
            lines.addAll(p.drawn);
            Files.write(out.resolve(name + ".txt"), lines, StandardCharsets.UTF_8);
        }
    }
}
