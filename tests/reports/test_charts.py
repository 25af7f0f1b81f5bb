"""The PDF's charts are drawn on the server as SVG (WeasyPrint runs no JavaScript)."""

from reports import figures as f
from reports.charts import svg


def test_a_grouped_bar_chart_draws_one_bar_per_value_and_escapes_labels():
    chart = f.chart("c", "Made <and> rejected", "bar", ["<script>", "B"], [f.series("Made", [3, 5]), f.series("Rejected", [1, 0])])
    drawn = str(svg(chart))
    assert drawn.count("<rect") == 4 + 2  # four bars and two legend keys
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn and "Made &lt;and&gt; rejected" in drawn


def test_a_bar_and_line_chart_stacks_outflow_below_zero_and_draws_the_line_on_its_own_axis():
    chart = f.chart("flow", "Flow", "bar_line", ["Jan", "Feb"], [
        f.series("New", [4, 2]), f.series("Housed", [-3, -1]), f.series("Active", [10, 11], kind="line", axis="right")])
    drawn = str(svg(chart))
    assert drawn.count("<polyline") == 1 and drawn.count("<rect") == 4 + 2
    assert ">-5<" in drawn  # the left axis reaches below zero for the outflow


def test_a_horizontal_bar_chart_labels_each_bar_with_its_value():
    chart = f.chart("r", "Reasons", "hbar", ["Safety concern", "Not eligible"], [f.series("Rejections", [2, 7])])
    drawn = str(svg(chart))
    assert drawn.count("<rect") == 2 and ">7<" in drawn and ">2<" in drawn
