// The trivial objective of the controller-overhead benchmark, as a module so it can run in the worker pool.
export default ({ x, y }) => x * x + y;
