package io.hawkeye.tools.rca;

import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.ServiceGraph;
import io.hawkeye.tools.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * {@code rca --plot}: the call graph with the ranking on it. Services in layers by their longest call path from an
 * entry (callers left, callees right), each filled from white (score 0) to red (the top score), the top three
 * outlined and numbered; arrows caller → callee. One look shows where the score sits and which callers it explains.
 */
final class RcaChart {
    static final int WIDTH = 1400, HEIGHT = 900;
    private static final int MARGIN = 60, NODE_W = 170, NODE_H = 46;
    private static final Color TOP = new Color(200, 30, 30);

    private RcaChart() {}

    static void save(ServiceGraph graph, List<RankedCause> ranking, String title, Path png) throws IOException {
        Charts.checkOutput(png, "--plot");
        Map<String, RankedCause> byService = new HashMap<>();
        for (RankedCause c : ranking) byService.put(c.service(), c);
        List<String> services = new ArrayList<>(new java.util.TreeSet<>(byService.keySet()));
        for (String s : graph.services()) if (!byService.containsKey(s)) services.add(s);
        Map<String, Integer> layer = layers(graph, services);
        int layers = layer.values().stream().max(Integer::compare).orElse(0) + 1;
        Map<Integer, List<String>> columns = new TreeMap<>();
        for (String s : services) columns.computeIfAbsent(layer.get(s), k -> new ArrayList<>()).add(s);

        // Positions: columns evenly across, services in a column ordered by their callers' mean height (fewer
        // crossings), then by name.
        Map<String, double[]> at = new HashMap<>();
        double dx = layers == 1 ? 0 : (WIDTH - 2.0 * MARGIN - NODE_W) / (layers - 1);
        for (Map.Entry<Integer, List<String>> col : columns.entrySet()) {
            List<String> names = col.getValue();
            names.sort(Comparator.comparingDouble((String s) -> meanCallerY(graph, s, at)).thenComparing(s -> s));
            double dy = (HEIGHT - 2.0 * MARGIN - 40) / (names.size() + 1);
            for (int i = 0; i < names.size(); i++) {
                at.put(names.get(i), new double[] {MARGIN + col.getKey() * dx, MARGIN + 40 + (i + 1) * dy});
            }
        }
        double maxScore = ranking.stream().mapToDouble(RankedCause::score).filter(Double::isFinite).max().orElse(0);

        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString(title, MARGIN, 36);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("fill: root-cause score (white 0 → red " + String.format(Locale.ROOT, "%.2f", maxScore)
                + "); #1–#3 outlined; arrows: caller → callee", MARGIN, HEIGHT - 20);

        g.setStroke(new BasicStroke(1.4f));
        g.setColor(new Color(150, 150, 150));
        for (String[] e : graph.edges()) {
            double[] a = at.get(e[0]), b = at.get(e[1]);
            if (a == null || b == null) continue;
            arrow(g, a[0] + NODE_W, a[1] + NODE_H / 2.0, b[0], b[1] + NODE_H / 2.0);
        }
        Font name = new Font(Font.SANS_SERIF, Font.BOLD, 13), small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        for (String s : services) {
            double[] p = at.get(s);
            RankedCause c = byService.get(s);
            double share = c == null || !(maxScore > 0) || !Double.isFinite(c.score()) ? 0 : c.score() / maxScore;
            RoundRectangle2D box = new RoundRectangle2D.Double(p[0], p[1], NODE_W, NODE_H, 14, 14);
            g.setColor(blend(Color.WHITE, TOP, share));
            g.fill(box);
            boolean top3 = c != null && c.rank() <= 3 && c.score() > 0;
            g.setStroke(new BasicStroke(top3 ? 3.5f : 1.2f));
            g.setColor(top3 ? Color.BLACK : Color.GRAY);
            g.draw(box);
            Color text = share > 0.55 ? Color.WHITE : Color.BLACK;
            g.setColor(text);
            g.setFont(name);
            drawCentered(g, (top3 ? "#" + c.rank() + " " : "") + s, p[0], p[1] + 19);
            g.setFont(small);
            drawCentered(g, c == null ? "no data" : String.format(Locale.ROOT, "score %.3f", c.score()), p[0],
                    p[1] + 36);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** Longest call-path depth from a service without callers (cycles cut at the number of services). */
    static Map<String, Integer> layers(ServiceGraph graph, List<String> services) {
        Map<String, Integer> layer = new HashMap<>();
        for (String s : services) layer.put(s, 0);
        for (int round = 0; round < services.size(); round++) {
            boolean changed = false;
            for (String[] e : graph.edges()) {
                Integer from = layer.get(e[0]), to = layer.get(e[1]);
                if (from == null || to == null || e[0].equals(e[1])) continue;
                if (to < from + 1 && from + 1 < services.size()) {
                    layer.put(e[1], from + 1);
                    changed = true;
                }
            }
            if (!changed) break;
        }
        return layer;
    }

    private static double meanCallerY(ServiceGraph graph, String s, Map<String, double[]> at) {
        double sum = 0;
        int n = 0;
        for (String p : graph.callers(s)) {
            double[] q = at.get(p);
            if (q != null) {
                sum += q[1];
                n++;
            }
        }
        return n == 0 ? Double.MAX_VALUE : sum / n;
    }

    private static void arrow(Graphics2D g, double x1, double y1, double x2, double y2) {
        g.draw(new Line2D.Double(x1, y1, x2, y2));
        double angle = Math.atan2(y2 - y1, x2 - x1);
        Path2D head = new Path2D.Double();
        head.moveTo(x2, y2);
        head.lineTo(x2 - 10 * Math.cos(angle - 0.4), y2 - 10 * Math.sin(angle - 0.4));
        head.lineTo(x2 - 10 * Math.cos(angle + 0.4), y2 - 10 * Math.sin(angle + 0.4));
        head.closePath();
        g.fill(head);
    }

    private static void drawCentered(Graphics2D g, String text, double x, double baseline) {
        FontMetrics fm = g.getFontMetrics();
        String t = text;
        while (fm.stringWidth(t) > NODE_W - 10 && t.length() > 4) t = t.substring(0, t.length() - 2);
        if (!t.equals(text)) t = t.substring(0, t.length() - 1) + "…";
        g.drawString(t, (float) (x + (NODE_W - fm.stringWidth(t)) / 2.0), (float) baseline);
    }

    private static Color blend(Color a, Color b, double t) {
        double u = Math.max(0, Math.min(1, t));
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * u),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * u),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * u));
    }
}
