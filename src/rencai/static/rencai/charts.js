/* Draws every .chart inside a .charts container from the JSON its data-source URL returns:
   each chart names its series (data-series) and its kind (pie, bar, hbar, line). One script serves every
   statistics page, so a new page only lists its charts. */
(function () {
  // Nothing to count (no rows, or every value 0): say so, instead of a pie that splits zeros evenly.
  function isEmpty(rows) {
    return !rows.some(function (r) { return Number(r.value) > 0; });
  }
  var EMPTY = {title: {text: "暂无数据", left: "center", top: "middle",
                       textStyle: {color: "#888", fontSize: 14, fontWeight: "normal"}}};
  function option(type, rows) {
    if (isEmpty(rows)) { return EMPTY; }
    var names = rows.map(function (r) { return r.name; });
    var values = rows.map(function (r) { return r.value; });
    if (type === "pie") {
      return {tooltip: {trigger: "item"}, legend: {bottom: 0}, series: [{type: "pie", radius: ["35%", "65%"], data: rows}]};
    }
    var category = {type: "category", data: names, axisLabel: {interval: 0, width: 90, overflow: "truncate"}};
    var value = {type: "value", minInterval: 1};
    var horizontal = type === "hbar";
    return {tooltip: {trigger: "axis"}, grid: {left: horizontal ? 110 : 40, right: 20, bottom: 40, top: 20},
            xAxis: horizontal ? value : category, yAxis: horizontal ? Object.assign({inverse: true}, category) : value,
            series: [{type: type === "line" ? "line" : "bar", data: values, smooth: type === "line"}]};
  }
  function draw(container) {
    fetch(container.dataset.source, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        container.querySelectorAll(".chart").forEach(function (el) {
          var chart = echarts.init(el, null, {renderer: "svg"});
          var rows = data[el.dataset.series] || [];
          chart.setOption(option(el.dataset.type, rows));
          el.dataset.empty = isEmpty(rows) ? "1" : "0";
          el.dataset.rendered = "1";
          window.addEventListener("resize", function () { chart.resize(); });
        });
      });
  }
  document.querySelectorAll(".charts[data-source]").forEach(draw);
})();
