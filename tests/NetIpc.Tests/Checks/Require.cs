using NetIpc.Benchmarks;
using NetIpc.Commands;
using NetIpc.Harness;
using NetIpc.Hosts;
using NetIpc.Performance;
using NetIpc.Servers;
using NetIpc.SocketTables;
using NetIpc.Tcp;
using NetIpc.Udp;
using NetIpc.Unix;

namespace NetIpc.Tests.Checks;

/// <summary>
/// Each chapter sentence's checks, required as the chapter requires them (<c>Checks().RequireAll()</c>), under the
/// name of the sentence in <c>Claims</c> that rests on them.
/// </summary>
internal static class Require
{
    public static void ViewsAgree(TwoViewsOfTheZoo r) => r.Checks().RequireAll();
    public static void ListenerTcpInfo(ListenerInfoResult r) => r.Checks().RequireAll();
    public static void SockDiagFaster(TcpTableBenchmark r) => r.Checks().RequireAll();
    public static void SeedFlowOrder(SeedFlowTrace r) => r.Checks().RequireAll();
    public static void AcceptTakesAFinishedConnection(AcceptTimingResult r) => r.Checks().RequireAll();
    public static void SocketTypes(SocketTypesResult r) => r.Checks().RequireAll();
    public static void AcceptQueueCeiling(AcceptQueueResult r) => r.Checks().RequireAll();
    public static void SynResendSchedule(SynResendsResult r) => r.Checks().RequireAll();
    public static void SynQueueLimit(IReadOnlyList<SynQueueResult> runs, string kernel) => runs.LimitChecks().RequireAll();
    public static void SynAckRetries(SynQueueResult r) => r.RetryChecks().RequireAll();
    public static void LateSynDropped(AcceptOverflowResult r) => r.LateSynChecks().RequireAll();
    public static void FinalAckDropped(AcceptOverflowResult r) => r.FinalAckChecks().RequireAll();
    public static void FirstDataWaits(AcceptOverflowResult r) => r.FirstDataChecks().RequireAll();
    public static void OverflowResets(AcceptOverflowResult r) => r.ResetChecks().RequireAll();
    public static void TxQueueIncludesUnsent(BuffersResult r) => r.TxQueueChecks().RequireAll();
    public static void WindowProbeStep(BuffersResult r) => r.WindowProbeChecks().RequireAll();
    public static void FinAcknowledged(CloseResult r) => r.FinAckTimingChecks().RequireAll();
    public static void FinInTheReceiveQueue(CloseResult r) => r.FinInQueueChecks().RequireAll();
    public static void TimeWaitLength(CloseResult r) => r.TimeWaitChecks().RequireAll();
    public static void OrderlyCloseSendsFin(AbortiveCloseResult r) => r.OrderlyChecks().RequireAll();
    public static void ZeroLingerSendsRst(AbortiveCloseResult r) => r.ZeroLingerChecks().RequireAll();
    public static void UnreadDataSendsRst(AbortiveCloseResult r) => r.UnreadDataChecks().RequireAll();
    public static void DropsAreTheMissing(UdpDropsResult r) => r.Checks().RequireAll();
    public static void SegmentsForThreeSends(BoundariesResult r) => r.Checks().RequireAll();
    public static void TcpRecovery(LossyPathResult r) => ((IReadOnlyList<ProofCheck>)[.. r.DeliveryChecks(), .. r.RecoveryChecks()]).RequireAll();
    public static void UdpAcrossRelay(LossyPathResult r) => r.UdpChecks().RequireAll();
    public static void MessagesOverAStream(FramingResult r) => r.Checks().RequireAll();
    public static void ServerDescriptors(ServerDescriptorsResult r) => r.Checks().RequireAll();
    public static void DescriptorPassed(DescriptorPassingResult r) => r.Checks().RequireAll();
    public static void StreamIsNotTcp(StreamTypesResult r) => r.Checks().RequireAll();
    public static void SocketPermissions(SocketPermissionsResult r) => r.Checks().RequireAll();
    public static void UnixDatagramLimits(UnixReliabilityResult r) => r.Checks().RequireAll();
    public static void VethAgainstLoopback(Measured<TwoHostsResult> hosts, LoopbackRoundTripResult loopback) => hosts.Result.RoundTripChecks(loopback).RequireAll();
    public static void WeakHost(TwoHostsResult r) => r.WeakHostChecks().RequireAll();
    public static void ThroughputGrowth(ThroughputResult r) => r.GrowthChecks().RequireAll();
    public static void SweepAgainstRecording(ThroughputResult sweep, Iperf3Comparison recorded, IReadOnlyList<double> now) => sweep.RerunChecks(now).RequireAll();
    public static void UdpAgainstIperf3(Iperf3Comparison r) => r.UdpLossChecks().RequireAll();
    public static void AgreesWithIperf3(Iperf3Comparison r) => r.AgreementChecks().RequireAll();
    public static void AcceptMakesANewSocket(SharedPortResult r) => r.Checks().RequireAll();
    public static void EveryReplyAndNoSocketLeft(ManyClientsResult r) => r.SocketChecks().RequireAll();
    public static void OneThreadPerClient(ManyClientsResult r) => r.ThreadChecks().RequireAll();
    public static void AsyncSocketsUseEpoll(ManyClientsResult r) => r.EpollChecks().RequireAll();
    public static void WaitingGrowsWithClients(ManyClientsResult r) => r.WaitingChecks().RequireAll();
    public static void ThreadsCostKernelStacks(ManyClientsResult r) => r.KernelStackChecks().RequireAll();
}
