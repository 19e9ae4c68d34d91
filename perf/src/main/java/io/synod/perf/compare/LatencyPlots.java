package io.synod.perf.compare;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Latency-percentile plots, one PNG per phase with every run of both systems on it, drawn like HdrHistogram's
 * plotter: the x axis is log10(1 / (1 - percentile)), so p90, p99, p99.9 and p99.99 are evenly spaced; the y axis
 * (latency in microseconds) is logarithmic. Synod in blue, Aeron Cluster in red (run 1 solid, run 2 dashed, ...),
 * the ping-pong reference in grey.
 */
final class LatencyPlots
{
    private static final Color SYNOD = new Color(0x1f, 0x77, 0xb4);
    private static final Color AERON = new Color(0xd6, 0x27, 0x28);

    private LatencyPlots()
    {
    }

    /**
     * @param file    the PNG to write.
     * @param title   chart title.
     * @param results the phase's results (the series), each named by system and run.
     * @throws IOException if the file cannot be written.
     */
    static void write(final File file, final String title, final List<PhaseResult> results) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(1000).height(600).title(title)
            .xAxisTitle("percentile").yAxisTitle("latency (us)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setxAxisTickLabelsFormattingFunction(LatencyPlots::percentileLabel);
        chart.getStyler().setMarkerSize(0);
        double maxX = 1;
        for (final PhaseResult result : results)
        {
            if (result.histogram.getTotalCount() == 0)
            {
                continue;
            }
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            final Histogram histogram = result.histogram;
            for (final HistogramIterationValue value : histogram.percentiles(5))
            {
                final double percentile = value.getPercentileLevelIteratedTo();
                if (percentile >= 100.0)
                {
                    break;
                }
                x.add(Math.log10(1.0 / (1.0 - percentile / 100.0)));
                y.add(Math.max(1.0, value.getValueIteratedTo() / 1e3));
            }
            if (!x.isEmpty())
            {
                maxX = Math.max(maxX, Math.ceil(x.get(x.size() - 1)));
                final XYSeries series = chart.addSeries(label(result), x, y);
                series.setMarker(SeriesMarkers.NONE);
                // One colour per system, the runs told apart by the line's style.
                series.setLineColor(SynodSide.NAME.equals(result.system) ? SYNOD :
                    AeronClusterSide.NAME.equals(result.system) ? AERON : Color.GRAY);
                series.setLineStyle(result.run % 2 == 1 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
            }
        }
        chart.getStyler().setXAxisMax(maxX);
        BitmapEncoder.saveBitmap(chart, file.getPath(), BitmapEncoder.BitmapFormat.PNG);
    }

    static String label(final PhaseResult result)
    {
        if ("pingpong".equals(result.system))
        {
            return "raw Aeron UDP ping-pong (reference)";
        }
        return (SynodSide.NAME.equals(result.system) ? "Synod" : "Aeron Cluster") + " run " + result.run;
    }

    private static String percentileLabel(final Double x)
    {
        final double percentile = 100.0 * (1.0 - Math.pow(10, -x));
        final int decimals = Math.max(0, (int)Math.ceil(x - 1e-9) - 2);
        return String.format(Locale.ROOT, "%." + decimals + "f%%", percentile);
    }
}
