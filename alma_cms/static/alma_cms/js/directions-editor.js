/*
 * alma-cms, page editor: each direction's and guideline's number after the block's label in
 * its header ("Direction II", "Guideline II.3"), as the site numbers them
 * (alma_cms.blocks.guidelines.number_directions: a direction's position among the directions
 * in Roman numerals, then a guideline's position in its direction). Nothing is stored: the
 * numbers are recounted from the blocks on screen whenever a block is added, moved, duplicated
 * or deleted. They are text, so browser search ("II.3") and screen readers find them.
 *
 * Markup relied on (Wagtail 7.4 and 8, client/src/components/StreamField/blocks): each block of
 * a StreamField or a ListBlock is a [data-streamfield-child] holding a .w-panel; the header's
 * .c-sf-block__type is the block's label, and .w-panel__content holds the block's form, a div
 * with the StructBlock's form_classname (alma-direction, alma-guideline). A deleted block stays
 * in the page, hidden, with aria-hidden="true".
 */
(() => {
  const ROMAN = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];

  const toRoman = (number) => {
    let rest = number;
    let out = '';
    ROMAN.forEach(([value, letters]) => {
      while (rest >= value) {
        out += letters;
        rest -= value;
      }
    });
    return out;
  };

  const BLOCK = '[data-streamfield-child]';
  const formOf = (child, kind) =>
    child.querySelector(`:scope > .w-panel > .w-panel__content > .${kind}`);

  // The sequences (StreamField or ListBlock containers) under `root` holding blocks of `kind`.
  const sequencesOf = (root, kind) => {
    const sequences = new Set();
    root.querySelectorAll(`${BLOCK} > .w-panel > .w-panel__content > .${kind}`).forEach((form) => {
      sequences.add(form.closest(BLOCK).parentElement);
    });
    return sequences;
  };

  // The blocks of `kind` in `sequence` that are not deleted, in the order shown.
  const liveBlocks = (sequence, kind) =>
    Array.from(sequence.children).filter(
      (child) =>
        child.matches(BLOCK) && child.getAttribute('aria-hidden') !== 'true' && formOf(child, kind),
    );

  const show = (child, number) => {
    const type = child.querySelector(':scope > .w-panel > .w-panel__header .c-sf-block__type');
    if (!type) return;
    let span = type.parentElement.querySelector(':scope > [data-alma-number]');
    if (!span) {
      // Styled as the label it follows; the space keeps "Direction II" two words.
      span = document.createElement('span');
      span.className = 'c-sf-block__type alma-block-number';
      span.setAttribute('data-alma-number', '');
      type.after(' ', span);
    }
    if (span.textContent !== number) span.textContent = number;
  };

  const renumber = () => {
    sequencesOf(document, 'alma-direction').forEach((directions) => {
      liveBlocks(directions, 'alma-direction').forEach((direction, index) => {
        const number = toRoman(index + 1);
        show(direction, number);
        sequencesOf(formOf(direction, 'alma-direction'), 'alma-guideline').forEach((guidelines) => {
          liveBlocks(guidelines, 'alma-guideline').forEach((guideline, position) => {
            show(guideline, `${number}.${position + 1}`);
          });
        });
      });
    });
  };

  // Recount once per frame at most, and only when blocks come, go, move or are deleted (not
  // while an editor types, nor for the numbers this script writes).
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      renumber();
    });
  };
  const isBlock = (node) =>
    node.nodeType === Node.ELEMENT_NODE && (node.matches(BLOCK) || node.querySelector(BLOCK));
  const touchesBlocks = (record) =>
    record.type === 'attributes'
      ? record.target.matches(BLOCK)
      : Array.from(record.addedNodes).some(isBlock) || Array.from(record.removedNodes).some(isBlock);

  const start = () => {
    renumber();
    new MutationObserver((records) => {
      if (records.some(touchesBlocks)) schedule();
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['aria-hidden'],
    });
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
