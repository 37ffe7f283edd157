// Draws application/vnd.plotly.v1+json outputs (the course's charts) in classic Jupyter Notebook,
// which has no renderer for them, with the plotly.js installed beside this file: no network.
define(['notebook/js/outputarea', './plotly.min'], function (outputarea, Plotly) {
    'use strict';
    var MIME = 'application/vnd.plotly.v1+json';

    function append(figure, metadata, element) {
        var area = this.create_output_subarea(metadata, 'output_plotly', MIME);
        var plot = document.createElement('div');
        area.append(plot);
        element.append(area);
        Plotly.newPlot(plot, figure.data || [], figure.layout || {}, Object.assign({ responsive: true }, figure.config || {}));
        return area;
    }

    return {
        load_ipython_extension: function () {
            // Index 0: ahead of image/png and text/plain, the other two types a chart output carries.
            outputarea.OutputArea.prototype.register_mime_type(MIME, append, { safe: true, index: 0 });
        }
    };
});
