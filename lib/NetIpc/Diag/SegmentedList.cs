using System.Collections;

namespace NetIpc.Diag;

/// <summary>
/// A list grown in segments of 4,096 items, never copied: one contiguous array for 20,000 references would be
/// 160 KB, a large-object-heap allocation (and its doublings on the way), and every such allocation brings the
/// next full collection closer. Read-only once filled, like the tables it backs.
/// </summary>
internal sealed class SegmentedList<T> : IReadOnlyList<T>
{
    private const int Shift = 12;
    private const int SegmentLength = 1 << Shift;
    private readonly List<T[]> segments = [];

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return segments[index >> Shift][index & (SegmentLength - 1)];
        }
    }

    public void Add(T item)
    {
        if ((Count & (SegmentLength - 1)) == 0)
        {
            segments.Add(new T[SegmentLength]);
        }
        segments[^1][Count & (SegmentLength - 1)] = item;
        Count++;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return segments[i >> Shift][i & (SegmentLength - 1)];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
