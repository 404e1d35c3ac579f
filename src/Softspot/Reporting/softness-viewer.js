// Softspot's 3D softness viewer: a software renderer (z-buffered shaded discs into an ImageData), so that it needs
// no WebGL and draws the same in any browser, headless ones included. Drag to rotate, wheel to zoom, the slider
// hides atoms below a softness threshold, the menu colours by softness, by label or by element.
(function () {
  function decode(b64) {
    var s = atob(b64), bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }
  function viridis(t) { // a few stops of matplotlib's viridis, linearly interpolated
    var c = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    t = Math.max(0, Math.min(1, t)) * 4; var k = Math.min(3, Math.floor(t)), f = t - k;
    return [0, 1, 2].map(function (j) { return c[k][j] + f * (c[k + 1][j] - c[k][j]); });
  }
  document.querySelectorAll('figure.softness-view').forEach(function (fig) {
    var data = JSON.parse(fig.querySelector('script[type="application/json"]').textContent);
    var pos = decode(data.positions), soft = decode(data.softness), label = data.label ? decode(data.label) : null;
    var type = decode(data.types), n = soft.length;
    var canvas = fig.querySelector('canvas'), ctx = canvas.getContext('2d');
    var W = canvas.width, H = canvas.height, img = ctx.createImageData(W, H), zbuf = new Float32Array(W * H);
    var slider = fig.querySelector('input[type="range"]'), mode = fig.querySelector('select'), out = fig.querySelector('output');
    var yaw = 0.6, pitch = 0.35, zoom = 1, drag = null;
    var radius = data.radius, half = data.half;
    function colour(i) {
      if (mode.value === 'label' && label) return label[i] === 1 ? [214, 39, 40] : label[i] === 0 ? [170, 170, 170] : [230, 230, 230];
      if (mode.value === 'element') return type[i] === 1 ? [27, 108, 168] : type[i] === 2 ? [237, 174, 73] : [102, 161, 130];
      return viridis(soft[i]);
    }
    function draw() {
      var start = performance.now(), threshold = parseFloat(slider.value), shown = 0;
      out.textContent = threshold.toFixed(2);
      var cy = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
      var scale = zoom * 0.9 * Math.min(W, H) / (2 * half * 1.75), r = Math.max(1, radius * scale);
      var px = img.data; px.fill(255); zbuf.fill(-1e30);
      for (var i = 0; i < n; i++) {
        if (!(soft[i] >= threshold)) continue;
        shown++;
        var x = pos[3 * i], y = pos[3 * i + 1], z = pos[3 * i + 2];
        var x1 = cy * x + sy * z, z1 = -sy * x + cy * z;           // yaw about y
        var y2 = cp * y - sp * z1, z2 = sp * y + cp * z1;          // pitch about x
        var sx = W / 2 + x1 * scale, sY = H / 2 - y2 * scale, c = colour(i);
        var x0 = Math.max(0, Math.floor(sx - r)), xe = Math.min(W - 1, Math.ceil(sx + r));
        var y0 = Math.max(0, Math.floor(sY - r)), ye = Math.min(H - 1, Math.ceil(sY + r));
        for (var py = y0; py <= ye; py++) for (var qx = x0; qx <= xe; qx++) {
          var dx = (qx - sx) / r, dy = (py - sY) / r, d2 = dx * dx + dy * dy;
          if (d2 > 1) continue;
          var dz = Math.sqrt(1 - d2), depth = z2 * scale + dz * r, k = py * W + qx;
          if (depth <= zbuf[k]) continue;
          zbuf[k] = depth;
          var light = 0.35 + 0.65 * Math.max(0, 0.45 * -dx + 0.55 * -dy + 0.7 * dz);
          px[4 * k] = c[0] * light; px[4 * k + 1] = c[1] * light; px[4 * k + 2] = c[2] * light; px[4 * k + 3] = 255;
        }
      }
      ctx.putImageData(img, 0, 0);
      fig.setAttribute('data-drawn', shown);
      fig.setAttribute('data-ms', Math.round(performance.now() - start));
      fig.querySelector('.shown').textContent = shown + ' of ' + n + ' atoms shown';
    }
    canvas.addEventListener('pointerdown', function (e) { drag = [e.clientX, e.clientY]; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointermove', function (e) {
      if (!drag) return;
      yaw += (e.clientX - drag[0]) * 0.01; pitch = Math.max(-1.5, Math.min(1.5, pitch + (e.clientY - drag[1]) * 0.01));
      drag = [e.clientX, e.clientY]; draw();
    });
    canvas.addEventListener('pointerup', function () { drag = null; });
    canvas.addEventListener('wheel', function (e) { e.preventDefault(); zoom = Math.max(0.3, Math.min(8, zoom * Math.exp(-e.deltaY * 0.001))); draw(); }, { passive: false });
    slider.addEventListener('input', draw);
    mode.addEventListener('change', draw);
    draw();
  });
})();
