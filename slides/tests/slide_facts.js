// Everything the deck's tests need to know about one slide, read while it is on screen.
// Sizes are in pixels as the audience sees them: reveal scales the whole slide to the
// window, so a computed size is multiplied by Reveal.getScale(). diagramTexts is
// diagram_facts.js.
(slide, diagramTexts) => {
  const scale = Reveal.getScale();
  const box = Reveal.getSlidesElement().getBoundingClientRect();
  // On screen: laid out, not visibility: hidden, and not the speaker's notes.
  const shown = element => element.getClientRects().length > 0
    && element.checkVisibility({visibilityProperty: true}) && !element.closest("aside.notes");
  const content = [...slide.querySelectorAll("*")].filter(shown);
  const px = element => parseFloat(getComputedStyle(element).fontSize) * scale;
  const name = element => {
    const text = element.textContent.trim().replace(/\s+/g, " ").slice(0, 50);
    return `<${element.tagName.toLowerCase()}> "${text}"`;
  };
  // The background colours behind an element, nearest first, down to the first opaque
  // one; the slide's own background (data-background-color) lies behind the slide.
  const backgrounds = element => {
    const layers = [];
    for (let node = element; node instanceof Element; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") return {layers, image: style.backgroundImage};
      layers.push(style.backgroundColor);
      const behind = node === slide && Reveal.getSlideBackground(slide);
      if (behind) {
        const image = [behind, ...behind.children].map(e => getComputedStyle(e).backgroundImage)
          .find(image => image !== "none");
        if (image) return {layers, image};
        layers.push(getComputedStyle(behind).backgroundColor);
      }
    }
    return {layers, image: null};
  };
  // Opacity fades the text into what lies behind it, as a transparent colour does.
  const opacity = element => {
    let product = 1;
    for (let node = element; node instanceof Element; node = node.parentElement) {
      product *= parseFloat(getComputedStyle(node).opacity);
    }
    return product;
  };
  const ownText = element => [...element.childNodes]
    .filter(node => node.nodeType === Node.TEXT_NODE)
    .map(node => node.textContent).join("").trim();
  const outside = element => {
    const r = element.getBoundingClientRect();
    const by = Math.max(box.left - r.left, r.right - box.right, box.top - r.top,
      r.bottom - box.bottom);
    return r.width * r.height > 0 && by > 1 ? Math.round(by / scale) : 0;
  };
  // The slide's number, shown in a corner outside it, is read by the audience too.
  const number = [...document.querySelectorAll(".reveal .slide-number, .reveal .slide-number *")];
  const beyond = new Map(content.map(element => [element, outside(element)]));
  return {
    title: (slide.querySelector("h1, h2, h3") || {textContent: ""}).textContent.trim(),
    shown: slide.classList.contains("present") && slide.getClientRects().length > 0,
    text: slide.innerText.trim(),
    notes: [...slide.querySelectorAll(":scope > aside.notes")].map(n => n.textContent.trim()),
    tables: slide.querySelectorAll("table").length,
    images: [...slide.querySelectorAll("img")].map(img => img.getAttribute("src")),
    // A diagram in an <object> is read from inside it (its url); one in the slide, here.
    diagrams: [
      ...[...slide.querySelectorAll("object")].map(object => ({
        url: object.data,
        backgrounds: backgrounds(object),
      })),
      ...[...slide.querySelectorAll("svg")].map(svg => ({
        url: null,
        backgrounds: backgrounds(svg),
        texts: diagramTexts(svg),
      })),
    ],
    // Only the outermost element that leaves the slide, not each of its children.
    outside: content
      .filter(element => beyond.get(element) && !beyond.get(element.parentElement))
      .map(element => ({element: name(element), by: beyond.get(element)})),
    code: [...slide.querySelectorAll("pre code")].map(code => ({
      caption: ((code.closest(".literal-block-wrapper") || code)
        .querySelector(".code-block-caption") || {textContent: ""}).textContent.trim(),
      highlighted: code.classList.contains("hljs") && !!code.querySelector("[class^=hljs-]"),
      cut: code.scrollHeight > code.clientHeight || code.scrollWidth > code.clientWidth,
      px: Math.min(...[code, ...code.querySelectorAll("*")].map(px)),
      lines: code.textContent.split("\n"),
    })),
    texts: [slide, ...content, ...number.filter(shown)]
      .filter(element => ownText(element) && !element.closest("svg")).map(element => ({
      text: ownText(element).replace(/\s+/g, " ").slice(0, 50),
      onSlide: slide.contains(element),
      tag: [element.tagName.toLowerCase(), ...element.classList].slice(0, 2).join("."),
      // Outside the slide, the number is not scaled with it.
      px: px(element) / (slide.contains(element) ? 1 : scale),
      color: getComputedStyle(element).color,
      opacity: opacity(element),
      ...backgrounds(element),
    })),
  };
}
