// Each text of a diagram or chart: an SVG in an <object> (a document of its own, read
// from inside it) or in the slide (the root given). Its size as drawn: in an <object>,
// before reveal's scale, which the SVG cannot see; in the slide, with it. Its fill, and
// the fill of the shape under it, if any (else the slide shows through).
root => [...(root || document).querySelectorAll("text")].map(text => {
  const style = getComputedStyle(text);
  const r = text.getBoundingClientRect();
  const shape = document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)
    .find(element => element instanceof SVGGeometryElement
      && !["none", "rgba(0, 0, 0, 0)"].includes(getComputedStyle(element).fill));
  const fill = element => ({
    color: getComputedStyle(element).fill,
    opacity: parseFloat(getComputedStyle(element).fillOpacity),
  });
  return {
    text: text.textContent.trim(),
    px: parseFloat(style.fontSize) * text.getScreenCTM().a,
    ...fill(text),
    under: shape ? fill(shape) : null,
  };
})
