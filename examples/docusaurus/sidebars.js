export default { docs: ['intro', 'arc'] };
