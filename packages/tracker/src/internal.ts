// Test seams: building blocks that tests and benches reach for, outside the product API in index.ts.
export { bottomCentre, boxIou } from './box.js';
