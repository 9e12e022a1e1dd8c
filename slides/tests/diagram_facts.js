// Each text of a diagram (an SVG in an <object>, a document of its own): its size as
// drawn in the object, before reveal's scale; its fill; and the fill of the shape under
// it, if any (else the slide shows through).
() => [...document.querySelectorAll("text")].map(text => {
  const style = getComputedStyle(text);
  const r = text.getBoundingClientRect();
  const shape = document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)
    .find(element => element.closest("text") === null && !["svg", "g"].includes(element.tagName)
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
