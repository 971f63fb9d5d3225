// The one entry of every lab page: reads the lab's name from its <article data-concept> and starts its
// widget, the default export of ./<name>.js.

const container = document.querySelector('article.lab[data-concept]');
const { default: Lab } = await import(`./${container.dataset.concept}.js`);
await new Lab(container, { name: container.dataset.concept }).start();
