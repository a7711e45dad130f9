/**
 * PNG charts for the examples, drawn with XChart and written headlessly under {@code charts/<example>/}:
 * {@link kindling.examples.charts.Charts} (loss and accuracy curves; read it first),
 * {@link kindling.examples.charts.ConfusionMatrix}, {@link kindling.examples.charts.Predictions},
 * {@link kindling.examples.charts.ImageGrid} and {@link kindling.examples.charts.HeatMaps} (attention weights).
 */
package kindling.examples.charts;
