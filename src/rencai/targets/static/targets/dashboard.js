/* The leaders' dashboard: every chart drawn from the JSON of /targets/dashboard.json (no figure in the page's
   script), and a full-screen mode for a wall display. No inline script: CSP forbids it. */
(function () {
  var root = document.getElementById("cockpit");
  if (!root) { return; }
  var EMPTY = {title: {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#888", fontSize: 14}}};
  function pairs(rows) { return (rows || []).map(function (r) { return {name: r[0], value: r[1]}; }); }
  function simple(kind, rows) {
    if (!rows.length || !rows.some(function (r) { return Number(r.value) > 0; })) { return EMPTY; }
    if (kind === "pie") {
      return {tooltip: {trigger: "item"}, legend: {bottom: 0}, series: [{type: "pie", radius: ["35%", "65%"], data: rows}]};
    }
    var cat = {type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: {interval: 0, width: 90, overflow: "truncate"}};
    var val = {type: "value"};
    var h = kind === "hbar";
    return {tooltip: {trigger: "axis"}, grid: {left: h ? 110 : 50, right: 20, bottom: 40, top: 20},
            xAxis: h ? val : cat, yAxis: h ? Object.assign({inverse: true}, cat) : val,
            series: [{type: "bar", data: rows.map(function (r) { return r.value; }), label: {show: true, position: h ? "right" : "top"}}]};
  }
  function progress(data) {
    var rows = (data.progress || []).filter(function (r) { return r.target; });
    if (!rows.length) { return EMPTY; }
    var names = rows.map(function (r) { return r.name; });
    return {tooltip: {trigger: "axis"}, legend: {bottom: 0}, grid: {left: 50, right: 20, top: 20, bottom: 60},
            xAxis: {type: "category", data: names, axisLabel: {interval: 0, width: 80, overflow: "truncate"}},
            yAxis: {type: "value"},
            series: [{name: "目标", type: "bar", data: rows.map(function (r) { return r.target; })},
                     {name: "实绩", type: "bar", data: rows.map(function (r) { return r.actual; })},
                     {name: "年末预测", type: "scatter", symbolSize: 12, data: rows.map(function (r) { return r.expected; })}]};
  }
  function fund(data) {
    var rows = data.fund || [];
    if (!rows.length) { return EMPTY; }
    var names = rows.map(function (r) { return r.name; });
    function s(key, label) { return {name: label, type: "bar", stack: "f", data: rows.map(function (r) { return r[key]; })}; }
    return {tooltip: {trigger: "axis"}, legend: {bottom: 0}, grid: {left: 80, right: 20, top: 20, bottom: 50},
            xAxis: {type: "category", data: names}, yAxis: {type: "value"},
            series: [s("paid", "已支付"), s("committed", "已承诺"), s("left", "结余")]};
  }
  function monthly(data) {
    var rows = (data.progress || []).filter(function (r) { return r.series && r.series.length; });
    if (!rows.length) { return EMPTY; }
    var months = [];
    for (var i = 1; i <= 12; i++) { months.push(i + "月"); }
    return {tooltip: {trigger: "axis"}, legend: {bottom: 0, type: "scroll"}, grid: {left: 50, right: 20, top: 20, bottom: 60},
            xAxis: {type: "category", data: months}, yAxis: {type: "value"},
            series: rows.map(function (r) { return {name: r.name, type: "line", data: r.series}; })};
  }
  fetch(root.dataset.source, {headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      root.querySelectorAll(".cchart").forEach(function (el) {
        var kind = el.dataset.kind, opt;
        if (kind === "progress") { opt = progress(data); }
        else if (kind === "fund") { opt = fund(data); }
        else if (kind === "monthly") { opt = monthly(data); }
        else { opt = simple(kind, pairs(data[el.dataset.series])); }
        var chart = echarts.init(el, null, {renderer: "svg"});
        chart.setOption(opt);
        el.dataset.empty = opt === EMPTY ? "1" : "0";
        el.dataset.rendered = "1";
        window.addEventListener("resize", function () { chart.resize(); });
      });
      root.dataset.loaded = "1";
    });
  var button = document.getElementById("fullscreen");
  if (button) {
    button.addEventListener("click", function () {
      root.classList.add("wall");
      root.style.background = "#0b1f3a";
      root.querySelectorAll(".head, #progress-table, p.muted").forEach(function (el) { el.style.color = "#fff"; });
      root.style.padding = "1rem";
      root.style.overflow = "auto";
      if (root.requestFullscreen) { root.requestFullscreen().catch(function () {}); }
      setTimeout(function () { window.dispatchEvent(new Event("resize")); }, 300);
    });
    document.addEventListener("fullscreenchange", function () {
      if (!document.fullscreenElement) {
        root.classList.remove("wall");
        root.removeAttribute("style");
        root.querySelectorAll(".head, #progress-table, p.muted").forEach(function (el) { el.removeAttribute("style"); });
      }
    });
  }
})();
