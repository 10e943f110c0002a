// A small hand-written horizontal bar chart in SVG: one <rect class="bar"> per item, labels as text nodes.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Draws items ({label, value}) into svg as horizontal bars scaled to max (default: the largest value).
 * format(value) gives the text shown after each bar. Values that are null are drawn as "no data", no bar.
 */
export function barChart(svg, items, { max, format = String, empty = 'no executions yet' } = {}) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const width = 600, row = 26, left = 200, right = 70, top = 8;
  const height = Math.max(1, items.length) * row + top * 2;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  if (items.length === 0) {
    svg.appendChild(el('text', { x: 10, y: top + 16 }, empty));
    return;
  }
  const values = items.map(i => i.value).filter(v => v !== null && v !== undefined);
  const top1 = max !== undefined ? max : Math.max(1, ...values);
  const plot = width - left - right;
  svg.appendChild(el('line', { x1: left, y1: top, x2: left, y2: height - top, class: 'axis' }));
  items.forEach((item, i) => {
    const y = top + i * row;
    const label = item.label.length > 30 ? item.label.slice(0, 29) + '…' : item.label;
    svg.appendChild(el('text', { x: left - 6, y: y + 17, 'text-anchor': 'end' }, label));
    if (item.value === null || item.value === undefined) {
      svg.appendChild(el('text', { x: left + 6, y: y + 17 }, 'no data'));
      return;
    }
    const w = Math.max(0, Math.min(1, item.value / top1)) * plot;
    const bar = el('rect', { x: left, y: y + 4, width: w.toFixed(1), height: row - 8, class: 'bar' });
    bar.appendChild(el('title', {}, `${item.label}: ${format(item.value)}`));
    svg.appendChild(bar);
    svg.appendChild(el('text', { x: left + w + 6, y: y + 17 }, format(item.value)));
  });
}
