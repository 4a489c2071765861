export { type DemoAssets, prepareDemoAssets } from './demo-assets.js';
export { DEMO_CLIP_PACKAGE, type PrepareDemoClipOptions, prepareDemoClip } from './demo-clip.js';
export { type EmbeddedBroker, type EmbeddedBrokerOptions, startEmbeddedBroker } from './embedded-broker.js';
